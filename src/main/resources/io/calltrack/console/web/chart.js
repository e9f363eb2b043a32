// A bar chart of a few series over named categories (channels, hours), drawn by uPlot on a canvas.
import { html, useEffect, useRef, uPlot } from "./vendor.js";

const COLORS = ["#2f6fdf", "#1b9e5a", "#d9822b", "#8e44ad"];

export function BarChart({ labels, series, height = 220 }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    const bars = uPlot.paths.bars({ size: [0.8 / series.length, 60], align: 0 });
    const plot = new uPlot({
      width: Math.max(300, el.clientWidth), height,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
      axes: [{ values: (u, ticks) => ticks.map(i => labels[i] ?? ""), splits: () => labels.map((_, i) => i) }, {}],
      series: [{}, ...series.map((s, i) => ({
        label: s.label, fill: COLORS[i % COLORS.length], stroke: COLORS[i % COLORS.length], paths: bars,
        points: { show: false },
      }))],
      cursor: { drag: { x: false, y: false } },
    }, [labels.map((_, i) => i), ...series.map(s => s.values)], el);
    const resize = () => plot.setSize({ width: Math.max(300, el.clientWidth), height });
    window.addEventListener("resize", resize);
    return () => { window.removeEventListener("resize", resize); plot.destroy(); };
  }, [labels.join("|"), series.map(s => s.label + s.values.join(",")).join("|")]);
  return html`<div class="chart" ref=${box}></div>`;
}
