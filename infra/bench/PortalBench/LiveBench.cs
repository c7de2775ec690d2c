using System.Text.Json;
using Microsoft.Playwright;

namespace PortalBench;

/// <summary>
/// Live-update latency: the browser shows a network page whose member rows carry
/// <c>data-member="&lt;userId&gt;"</c> and <c>data-online="true|false"</c> (the live member table); a
/// MutationObserver installed in the page logs every change of that member's <c>data-online</c> with
/// <c>Date.now()</c>, and the agent alternates login (online) and goodbye (offline). Latency = the
/// browser's timestamp minus the bench's wall clock just before the login / goodbye was sent (same
/// machine, same clock).
/// </summary>
internal sealed class LiveBench(IPage page, BenchAgent agent, TimeProvider clock, TextWriter log)
{
    public const string LiveRows = "[data-member][data-online]";

    private static readonly TimeSpan FlipTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Null when the page has no live rows (the Portal predates the live member table).</summary>
    public async Task<List<double>?> RunAsync(Guid memberId, int changes, CancellationToken ct)
    {
        var selector = $"[data-member=\"{memberId}\"]";
        try
        {
            await page.WaitForSelectorAsync(LiveRows, new() { Timeout = 5_000, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            return null;
        }

        var initial = await page.EvaluateAsync<string?>("""
            sel => {
              const log = [];
              window.__hcFlips = log;
              const read = () => { const e = document.querySelector(sel); return e ? e.getAttribute('data-online') : null; };
              let current = read();
              new MutationObserver(() => {
                const v = read();
                if (v !== current) { log.push({ v: v, t: Date.now() }); current = v; }
              }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-online'] });
              return current;
            }
            """, selector);
        if (initial != "false")
        {
            throw new InvalidOperationException($"live: the row {selector} should start offline, has data-online={initial ?? "(no row)"}");
        }

        var latencies = new List<double>();
        var seen = 0;
        for (var i = 0; i < changes; i++)
        {
            ct.ThrowIfCancellationRequested();
            var online = i % 2 == 0;
            if (online)
            {
                await agent.ConnectAsync(ct); // connection and hello are not part of "going online"
            }

            var sent = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (online)
            {
                await agent.LoginAsync(ct);
            }
            else
            {
                await agent.GoodbyeAsync(ct);
            }

            JsonElement flip;
            try
            {
                await page.WaitForFunctionAsync("n => window.__hcFlips.length >= n", seen + 1, new() { Timeout = (float)FlipTimeout.TotalMilliseconds });
                flip = await page.EvaluateAsync<JsonElement>("i => window.__hcFlips[i]", seen);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"live: change {i + 1} ({(online ? "online" : "offline")}) did not reach the row {selector} within {FlipTimeout.TotalSeconds} s");
            }

            seen++;
            var value = flip.GetProperty("v").GetString();
            if (value != (online ? "true" : "false"))
            {
                throw new InvalidOperationException($"live: change {i + 1} expected data-online={(online ? "true" : "false")}, the row shows {value ?? "(no row)"}");
            }

            latencies.Add(flip.GetProperty("t").GetDouble() - sent);
            if (!online)
            {
                await agent.CloseAsync();
            }

            // A random pause, so changes do not line up with the Api's map tick.
            await Task.Delay(TimeSpan.FromMilliseconds(200 + Random.Shared.Next(300)), clock, ct);
        }

        await agent.CloseAsync();
        log.WriteLine($"portal-bench: live: {changes} changes observed on {selector}");
        return latencies;
    }
}
