/**
 * Host neutralisation for committed fixtures: the top-level domain of every URL host
 * (`scheme://host…`, `scheme://user@host…`) becomes `.example`, the same on both sides of a pair,
 * so no public registry's host stays in the text and diffs are unchanged.
 */
const URL_HOST = /([a-z][a-z0-9+.-]*:\/\/(?:[^\s@/"'<>]+@)?)((?:[a-z0-9-]+\.)+)([a-z][a-z0-9-]*)(?=[/:\s"'<>#?\]}),]|$)/gi;

export const neutralise = (text) => text.replace(URL_HOST, (_, scheme, labels) => `${scheme}${labels}example`);

