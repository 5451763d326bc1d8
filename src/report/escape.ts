/**
 * Escaping of untrusted text (feature names, signal names, advice) for HTML/SVG and Markdown.
 */

const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML or SVG element content and quoted attribute values.
 * @example escapeHtml('<script>"x"</script>') // "&lt;script&gt;&quot;x&quot;&lt;/script&gt;"
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (ch) => htmlEntities[ch]);
}

/**
 * Escapes text for one Markdown table cell or inline run: HTML-significant characters become
 * entities, Markdown punctuation is backslash-escaped, and line breaks become spaces.
 * @example escapeMarkdown("a|b <i>") // "a\\|b &lt;i&gt;"
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/[\\`*_|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
