'use client';
// Stacked bar chart (success below, errors on top) drawn as SVG at the container's pixel width, so text
// stays legible from phone to desktop. Each bar carries a <title> with its exact counts.
import { useEffect, useRef, useState } from 'react';

export type ChartBucket = { start: number; success: number; error: number };

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s * 4 >= value)!;
  return step * 4;
}

export function BarChart({ buckets, label, tooltip, labelEvery = 1, summary }: {
  buckets: ChartBucket[];
  label: (start: number) => string;
  tooltip: (start: number) => string;
  labelEvery?: number;
  summary: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(240, Math.floor(entry.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const height = 190;
  const left = 40;
  const bottom = 22;
  const top = 8;
  const right = 28; // room for the last x label, centred on the last bar
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.success + b.error)));
  const slot = plotW / buckets.length;
  const barW = Math.max(2, Math.min(36, slot * 0.7));
  // On narrow screens show fewer x labels so they never overlap.
  const every = Math.max(labelEvery, Math.ceil(64 / slot));
  const y = (v: number) => top + plotH - (v / max) * plotH;

  return (
    <div ref={ref}>
      <svg className="chart" width={width} height={height} role="img" aria-label={summary}>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line className="axis" x1={left} x2={width - right} y1={y(max * f)} y2={y(max * f)} strokeDasharray={f === 0 ? undefined : '2 4'} />
            <text x={left - 6} y={y(max * f) + 3} textAnchor="end">{Math.round(max * f).toLocaleString()}</text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = left + i * slot + (slot - barW) / 2;
          const total = b.success + b.error;
          return (
            <g key={b.start}>
              <title>{`${tooltip(b.start)}: ${b.success.toLocaleString()} succeeded, ${b.error.toLocaleString()} failed`}</title>
              <rect x={left + i * slot} y={top} width={slot} height={plotH} fill="transparent" />
              {b.success > 0 ? <rect className="bar-success" x={x} y={y(b.success)} width={barW} height={y(0) - y(b.success)} rx={1.5} /> : null}
              {b.error > 0 ? <rect className="bar-error" x={x} y={y(total)} width={barW} height={y(b.success) - y(total)} rx={1.5} /> : null}
              {i % every === (buckets.length - 1) % every ? (
                <text x={left + i * slot + slot / 2} y={height - 6} textAnchor="middle">{label(b.start)}</text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
