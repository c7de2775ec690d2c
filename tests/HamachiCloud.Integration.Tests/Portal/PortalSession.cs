using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// A person's steps that every Portal test repeats, written against what the person sees (roles, labels and
/// visible names), not the markup: signing in through the Portal (OpenID Connect code + PKCE: the Portal sends
/// the browser to the Api's sign-in page and back).
/// </summary>
internal static partial class PortalSession
{
    /// <summary>
    /// Signs <paramref name="user"/> in from the Portal's sign-in entry (<c>/account/signin</c>) and waits until the
    /// browser is back on the Portal with the account menu showing.
    /// </summary>
    public static async Task SignInAsync(IPage page, PortalLab lab, LabUser user, string returnUrl = "/")
    {
        await page.GotoAsync($"{lab.PortalUrl}/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await FillSignInFormAsync(page, user);
        await page.WaitForURLAsync(url => url.StartsWith(lab.PortalUrl + "/", StringComparison.Ordinal), new() { Timeout = 20_000 });
        await Assertions.Expect(AccountMenu(page)).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await WaitInteractiveAsync(page);
    }

    /// <summary>Opens a Portal page and waits until its circuit rendered it (typing and clicks reach the server).</summary>
    public static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitInteractiveAsync(page);
    }

    /// <summary>
    /// Waits for <c>&lt;html data-interactive="true"&gt;</c> (set by the Portal's Routes after its first interactive
    /// render): before that, the page is prerendered HTML and what is typed into it is lost.
    /// </summary>
    public static async Task WaitInteractiveAsync(IPage page) =>
        await page.Locator("html[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 20_000 });

    /// <summary>Fills and submits the sign-in form the browser is on (the Api's, whichever host serves it).</summary>
    public static async Task FillSignInFormAsync(IPage page, LabUser user)
    {
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>
    /// The signed-in user's menu button in the Portal's top bar ("Account menu for NAME"). MudMenu wraps the icon
    /// button in an activator that also has the button role and takes its name: the first of them.
    /// </summary>
    public static ILocator AccountMenu(IPage page) =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = AccountMenuName() }).First;

    [GeneratedRegex("^Account menu for ")]
    private static partial Regex AccountMenuName();
}
