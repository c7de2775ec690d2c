using HamachiCloud.Testing;
using Microsoft.Playwright;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// Screenshots of a page as a person would see it, written to
/// <c>$HAMACHI_TEST_SCREENSHOTS/&lt;test&gt;/&lt;page&gt;-&lt;width&gt;-&lt;theme&gt;.png</c>
/// (test.sh sets it next to the TRX results; default <c>.test-artifacts/screenshots</c> at the repository root).
/// </summary>
internal static class Screenshots
{
    public const string Variable = "HAMACHI_TEST_SCREENSHOTS";

    public const int PhoneWidth = 390;
    private const int PhoneHeight = 844;

    public static string Root =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root
            ? root
            : Path.Combine(Repository.Root, ".test-artifacts", "screenshots");

    /// <summary>
    /// Three full-page screenshots of <paramref name="page"/> as it is now: desktop light, 390 px light and
    /// desktop dark (<see cref="ColorScheme.Dark"/> emulated). With <paramref name="reloadForDark"/> the page is
    /// reloaded in dark (for pages that read the scheme only when they load; unsaved input is lost). The page is
    /// left at desktop width in light theme. Returns the three paths.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TakeAsync(IPage page, string test, string name, bool reloadForDark = false)
    {
        var folder = Path.Combine(Root, Safe(test));
        Directory.CreateDirectory(folder);
        var desktop = page.ViewportSize is { } size ? new ViewportSize { Width = size.Width, Height = size.Height } : LabBrowser.Desktop;
        var paths = new List<string>();
        try
        {
            paths.Add(await ShotAsync(page, folder, name, desktop.Width, "light"));

            await page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
            await page.WaitForTimeoutAsync(300); // let responsive layout settle (drawers collapse, tables stack)
            paths.Add(await ShotAsync(page, folder, name, PhoneWidth, "light"));
            await page.SetViewportSizeAsync(desktop.Width, desktop.Height);

            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            if (reloadForDark)
            {
                await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
            }

            await page.WaitForTimeoutAsync(300);
            paths.Add(await ShotAsync(page, folder, name, desktop.Width, "dark"));
        }
        finally
        {
            await page.SetViewportSizeAsync(desktop.Width, desktop.Height);
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        }

        return paths;
    }

    private static async Task<string> ShotAsync(IPage page, string folder, string name, int width, string theme)
    {
        var path = Path.Combine(folder, $"{Safe(name)}-{width}-{theme}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private static string Safe(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
