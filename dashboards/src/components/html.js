// A minimal `html` tagged template for the components: interpolated strings are escaped,
// interpolated DOM nodes (and arrays of them) are inserted as nodes.
//
// Why not `import {html} from "htl"`: the installed htl 1.0.0 declares only an "import" export
// condition, and Framework 1.13.4 resolves node_modules imports with require.resolve, which
// fails ("No "exports" main defined"). htl 0.3.x would work; until the dependency is pinned
// there, this stand-in keeps the pages free of npm: (network) imports.
// Interpolate only into text content or quoted attribute values.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function html(strings, ...values) {
  const nodes = [];
  const stringify = (v) => {
    if (v == null || v === false) return "";
    if (Array.isArray(v)) return v.map(stringify).join("");
    if (typeof globalThis.Node === "function" && v instanceof globalThis.Node) {
      nodes.push(v);
      return `<template data-slot="${nodes.length - 1}"></template>`;
    }
    return escapeHtml(v);
  };
  let source = strings[0];
  for (let i = 0; i < values.length; ++i) source += stringify(values[i]) + strings[i + 1];
  const template = document.createElement("template");
  template.innerHTML = source.trim();
  for (const slot of template.content.querySelectorAll("template[data-slot]")) {
    slot.replaceWith(nodes[Number(slot.dataset.slot)]);
  }
  const { content } = template;
  return content.childNodes.length === 1 ? content.firstChild : content;
}
