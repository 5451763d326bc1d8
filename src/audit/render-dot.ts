/**
 * The audit's information-flow graph as Graphviz DOT: the observed student Z_t shaded, and the
 * edges of every open trail (from X through a channel or source to Z_{t+1}) drawn in red.
 */
import type { AuditReport } from "./audit.js";

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Renders the unrolled graph of an audit as DOT (`dot -Tsvg` draws it).
 * @example renderAuditDot(auditSpec(spec))
 */
export function renderAuditDot(report: AuditReport): string {
  const idOf = new Map(report.graph.nodes.map((n) => [n.label, n.id]));
  const open = new Set<string>();
  const trails = [
    report.trail,
    ...report.channels.map((c) => c.trail),
    ...report.sources.map((s) => s.trail),
  ];
  for (const trail of trails) {
    if (trail === null) continue;
    for (let i = 1; i < trail.length; i++) {
      const a = idOf.get(trail[i - 1]);
      const b = idOf.get(trail[i]);
      if (a !== undefined && b !== undefined) {
        open.add(`${a}\u0000${b}`);
        open.add(`${b}\u0000${a}`);
      }
    }
  }
  const out: string[] = [];
  out.push(`digraph ${quote(report.name)} {`);
  out.push("  rankdir=LR;");
  out.push('  node [shape=box, fontname="Helvetica"];');
  out.push(`  label=${quote(`${report.name}: ${report.verdict}`)};`);
  for (const node of report.graph.nodes) {
    const attributes = [`label=${quote(node.label)}`];
    if (node.id === "X") attributes.push("shape=ellipse");
    if (node.id === "Z_t") attributes.push("style=filled", 'fillcolor="#dddddd"');
    out.push(`  ${quote(node.id)} [${attributes.join(", ")}];`);
  }
  for (const edge of report.graph.edges) {
    const highlighted = open.has(`${edge.from}\u0000${edge.to}`);
    out.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${highlighted ? " [color=red, penwidth=2]" : ""};`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}
