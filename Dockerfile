# syntax=docker/dockerfile:1
#
# lockwarden GitHub App.
#
#   docker build -t lockwarden .
#   docker run -p 3000:3000 --env-file lockwarden.env lockwarden
#
# A private registry or mirror for the build: pass your .npmrc as a build secret (never a COPY, never an
# ARG): docker build --secret id=npmrc,src=$HOME/.npmrc -t lockwarden .
# Pin the base image by digest: docker build --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:<digest> .
#
# test/packaging/dockerfile.test.ts replays this file's steps outside Docker: keep it in step.

# Node 22 (LTS): Node 20 is past its end of life, and some of Probot's dependencies declare node >= 22.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: compile TypeScript (needs the dev dependencies) --------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency's install script runs, here or below: tsc needs none.
RUN --mount=type=cache,target=/root/.npm \
    --mount=type=secret,id=npmrc,target=/root/.npmrc \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and the compiled app only -----------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# The npm cache stays in the build cache mount, not in the image.
RUN --mount=type=cache,target=/root/.npm \
    --mount=type=secret,id=npmrc,target=/root/.npmrc \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
# The journal of in-progress check runs (mount a volume here to keep it across container re-creation).
RUN install -d -o node -g node -m 0700 /var/lib/lockwarden
# The code stays owned by root: the app cannot modify itself.
USER node
ENV HOST=0.0.0.0 PORT=3000 LOCKWARDEN_STATE_DIR=/var/lib/lockwarden
# Probot's own defaults are pretty-printed logs at level warn: a container logs JSON, reviews included.
ENV LOG_FORMAT=json LOG_LEVEL=info
EXPOSE 3000
# Slim images have no curl: ask node.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# src/github/main.ts stops on SIGTERM (and SIGINT): it closes the server and gives the reviews in progress
# up to 25 s, so allow more than docker stop's default 10 s (docker run --stop-timeout 30).
STOPSIGNAL SIGTERM
CMD ["node", "dist/github/main.js"]
