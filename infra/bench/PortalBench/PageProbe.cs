namespace PortalBench;

/// <summary>
/// A selector whose first appearance (at least <see cref="MinCount"/> matches) is a page's "first content".
/// The init script (<see cref="Script"/>) watches every probe from the first byte of each document with a
/// MutationObserver and records, in <c>performance.now()</c> milliseconds from the navigation's start, when
/// the content appeared first, when it appeared last (Blazor Server prerenders, then the interactive
/// circuit renders again: the rows may vanish and come back) and how often it vanished; and when the DOM
/// last changed (<c>__hcLastMutation</c>: once quiet, the interactive render is done).
/// </summary>
internal sealed record PageProbe(string Name, string Selector, int MinCount)
{
    public static string Script(IEnumerable<PageProbe> probes)
    {
        var list = string.Join(",", probes.Select(p => $"{{name:{Js(p.Name)},selector:{Js(p.Selector)},min:{p.MinCount}}}"));
        return $$"""
            (() => {
              const probes = [{{list}}];
              const state = {};
              window.__hcProbe = state;
              for (const p of probes) state[p.name] = { first: null, last: null, drops: 0, present: false };
              window.__hcLastMutation = 0;
              const check = () => {
                window.__hcLastMutation = performance.now();
                for (const p of probes) {
                  const s = state[p.name];
                  const present = document.querySelectorAll(p.selector).length >= p.min;
                  if (present && !s.present) { const t = performance.now(); if (s.first === null) s.first = t; s.last = t; }
                  if (!present && s.present) s.drops++;
                  s.present = present;
                }
              };
              new MutationObserver(check).observe(document, { childList: true, subtree: true });
              document.addEventListener('DOMContentLoaded', check);
            })();
            """;
    }

    private static string Js(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
