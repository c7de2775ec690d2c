using System.Text.Json;
using Microsoft.Playwright;

namespace PortalBench;

/// <summary>One page load as the browser saw it, in ms from the navigation's start.</summary>
internal sealed record LoadSample(double FirstContent, double LastContent, int Drops, double ResponseStart, double DomContentLoaded, double Settled);

/// <summary>
/// Debian's Chromium driven by Playwright (headless, no browser download), one signed-in context. Every
/// document gets the <see cref="PageProbe"/> script, so loads are timed inside the browser, not by
/// Playwright's polling.
/// </summary>
internal sealed class BrowserBench : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly TextWriter _log;

    private BrowserBench(IPlaywright playwright, IBrowser browser, IPage page, TextWriter log)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        _log = log;
    }

    public IPage Page { get; }

    public static async Task<BrowserBench> LaunchAsync(IEnumerable<PageProbe> probes, TextWriter log)
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} not found (apt-get install chromium); Playwright never downloads a browser here");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
                Timeout = 60_000,
            });
            var context = await browser.NewContextAsync(new()
            {
                ViewportSize = new() { Width = 1280, Height = 800 },
                ColorScheme = ColorScheme.Light,
                Locale = "en-US",
                TimezoneId = "UTC",
            });
            context.SetDefaultTimeout(30_000);
            await context.AddInitScriptAsync(PageProbe.Script(probes));
            var page = await context.NewPageAsync();
            page.PageError += (_, error) => log.WriteLine($"portal-bench: [browser page error] {error}");
            page.Response += (_, response) =>
            {
                if (response.Status >= 400)
                {
                    log.WriteLine($"portal-bench: [browser HTTP {response.Status}] {response.Request.Method} {response.Url}");
                }
            };
            return new BrowserBench(playwright, browser, page, log);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>The Portal's sign-in entry, the Api's sign-in form (OIDC code + PKCE), back on the Portal at <paramref name="returnPath"/>.</summary>
    public async Task SignInAsync(string portalUrl, string email, string password, string returnPath)
    {
        await Page.GotoAsync($"{portalUrl}/account/signin?returnUrl={Uri.EscapeDataString(returnPath)}");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(url => url.StartsWith(portalUrl + returnPath, StringComparison.Ordinal), new() { Timeout = 30_000 });
    }

    /// <summary>
    /// A full load of <paramref name="url"/> (from about:blank, so no Blazor enhanced navigation): waits until the
    /// probe's content is there and the page is quiet (network idle, then no DOM change for 1.5 s: Blazor's
    /// interactive render has replaced the prerendered DOM), then reads what the probe saw.
    /// </summary>
    public async Task<LoadSample> LoadAsync(string url, PageProbe probe)
    {
        await Page.GotoAsync("about:blank");
        await Page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await Page.WaitForFunctionAsync("name => window.__hcProbe && window.__hcProbe[name].present", probe.Name, new() { Timeout = 30_000 });
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 30_000 });
        await Page.WaitForFunctionAsync("() => performance.now() - window.__hcLastMutation > 1500", null, new() { Timeout = 60_000, PollingInterval = 100 });
        await Page.WaitForFunctionAsync("name => window.__hcProbe[name].present", probe.Name, new() { Timeout = 30_000 });
        var json = await Page.EvaluateAsync<JsonElement>("""
            name => {
              const s = window.__hcProbe[name];
              const nav = performance.getEntriesByType('navigation')[0];
              return { first: s.first, last: s.last, drops: s.drops, responseStart: nav ? nav.responseStart : -1, dcl: nav ? nav.domContentLoadedEventEnd : -1, settled: window.__hcLastMutation };
            }
            """, probe.Name);
        return new LoadSample(json.GetProperty("first").GetDouble(), json.GetProperty("last").GetDouble(), json.GetProperty("drops").GetInt32(),
            json.GetProperty("responseStart").GetDouble(), json.GetProperty("dcl").GetDouble(), json.GetProperty("settled").GetDouble());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _browser.DisposeAsync();
        }
        catch (PlaywrightException e)
        {
            _log.WriteLine($"portal-bench: closing the browser: {e.Message}");
        }

        _playwright.Dispose();
    }
}
