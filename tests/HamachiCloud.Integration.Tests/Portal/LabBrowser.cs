using HamachiCloud.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by test.sh) driven by Playwright, headless. The
/// Playwright driver (node + package) comes with the Microsoft.Playwright NuGet package into the test
/// output (<c>.playwright/</c>); no browser is ever downloaded (<c>playwright install</c> is not used).
/// Pages write the browser's console errors, HTTP errors and failed requests to the test output.
/// </summary>
internal sealed class LabBrowser : IAsyncDisposable
{
    /// <summary>Desktop viewport of a new page; <see cref="Screenshots"/> also takes 390 px (a phone).</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    private readonly IPlaywright _playwright;
    private readonly ITestOutputHelper _output;

    private LabBrowser(IPlaywright playwright, IBrowser browser, ITestOutputHelper output)
    {
        _playwright = playwright;
        Browser = browser;
        _output = output;
    }

    public IBrowser Browser { get; }

    public static async Task<LabBrowser> LaunchAsync(ITestOutputHelper output)
    {
        var executable = Requires.Chromium();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
                Timeout = 60_000,
            });
            return new LabBrowser(playwright, browser, output);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh context (its own cookies: one signed-in user per context), light theme, desktop width.</summary>
    public async Task<IPage> NewPageAsync(string who = "browser")
    {
        var context = await Browser.NewContextAsync(new()
        {
            ViewportSize = Desktop,
            ColorScheme = ColorScheme.Light,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Write($"[{who} console {message.Type}] {message.Text}");
            }
        };
        page.PageError += (_, error) => Write($"[{who} page error] {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Write($"[{who} HTTP {response.Status}] {response.Request.Method} {response.Url}");
            }
        };
        page.WebSocket += (_, socket) =>
        {
            Write($"[{who} websocket] open {socket.Url}");
            socket.Close += (_, _) => Write($"[{who} websocket] closed {socket.Url}");
            socket.SocketError += (_, error) => Write($"[{who} websocket] error {socket.Url}: {error}");
        };
        page.RequestFailed += (_, request) => Write($"[{who} request failed] {request.Method} {request.Url}: {request.Failure}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    private void Write(string line)
    {
        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test has finished: events after it are not interesting
        }
    }
}
