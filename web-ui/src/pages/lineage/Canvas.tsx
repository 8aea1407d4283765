// Pan and zoom for an SVG drawing: wheel zooms around the pointer, dragging the background
// pans, the buttons zoom and fit. The transform lives in state here; the drawing never re-lays out.
import { useCallback, useEffect, useRef, useState, type PointerEvent, type ReactNode } from 'react';

interface View {
  x: number;
  y: number;
  k: number;
}

const clamp = (k: number) => Math.min(4, Math.max(0.05, k));

export function Canvas({ width, height, children, label, fitKey }: { width: number; height: number; children: ReactNode; label: string; fitKey: string }) {
  const svg = useRef<SVGSVGElement>(null);
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);

  const fit = useCallback(() => {
    const el = svg.current;
    if (!el || !(width > 0) || !(height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
      return;
    }
    const r = el.getBoundingClientRect();
    if (!(r.width > 0) || !(r.height > 0)) {
      return;
    }
    const k = clamp(Math.min(r.width / width, r.height / height, 1.2));
    setView({ k, x: (r.width - width * k) / 2, y: (r.height - height * k) / 2 });
  }, [width, height]);

  // Fit when the content changes identity (new root, mode), not on every expansion.
  useEffect(fit, [fitKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const el = svg.current;
    if (!el) {
      return;
    }
    // A native listener: React's wheel listener is passive and cannot stop the page scrolling.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const px = e.clientX - r.left;
      const py = e.clientY - r.top;
      setView((v) => {
        const k = clamp(v.k * Math.exp(-e.deltaY * 0.0015));
        return { k, x: px - ((px - v.x) * k) / v.k, y: py - ((py - v.y) * k) / v.k };
      });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const zoom = (factor: number) => {
    const el = svg.current;
    const r = el?.getBoundingClientRect();
    const cx = (r?.width ?? 0) / 2;
    const cy = (r?.height ?? 0) / 2;
    setView((v) => {
      const k = clamp(v.k * factor);
      return { k, x: cx - ((cx - v.x) * k) / v.k, y: cy - ((cy - v.y) * k) / v.k };
    });
  };

  const down = (e: PointerEvent<SVGSVGElement>) => {
    if ((e.target as Element).closest('[data-node]')) {
      return;
    }
    drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
    (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
  };
  const move = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (d) {
      setView((v) => ({ ...v, x: d.vx + e.clientX - d.x, y: d.vy + e.clientY - d.y }));
    }
  };
  const up = () => {
    drag.current = null;
  };

  return (
    <div className="canvas">
      <div className="canvas-tools" role="toolbar" aria-label="Zoom">
        <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(0.8)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={fit}>
          Fit
        </button>
      </div>
      <svg ref={svg} role="img" aria-label={label} className="canvas-svg" onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerLeave={up}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow" />
          </marker>
        </defs>
        <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>{children}</g>
      </svg>
    </div>
  );
}

/** A left-to-right curve from the right edge of one box to the left edge of another. */
export function curve(x1: number, y1: number, x2: number, y2: number): string {
  const dx = Math.max(30, Math.abs(x2 - x1) / 2);
  return `M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}`;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
