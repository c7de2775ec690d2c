using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// The browser-test harness itself (<see cref="PortalLab"/>): Chromium through Playwright signs a person in on the
/// Api's sign-in page and approves a real <c>hamachi login</c> (device flow, in a lab namespace) that then enrols
/// and logs its daemon in; and the real Portal process answers and renders its first page. Screenshots of each
/// page (desktop, 390 px, dark) go under <see cref="Screenshots.Root"/>.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PortalLabSmokeTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Chromium_signs_in_on_the_Api_and_approves_a_device_login_that_then_enrols_its_agent()
    {
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 1, portal: false);
        var user = await LabUser.RegisterAsync(lab.Api, "owner");
        var page = await lab.Browser.NewPageAsync("owner");

        await page.GotoAsync($"{lab.Api.LoopbackUrl}/account/login");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        var shots = await Screenshots.TakeAsync(page, nameof(PortalLabSmokeTests), "api-login");
        output.WriteLine("screenshots: " + string.Join(", ", shots));
        foreach (var shot in shots)
        {
            Assert.True(new FileInfo(shot).Length > 5_000, $"{shot} is (almost) empty");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // hamachi login in a lab namespace prints a verification URL; the signed-in browser approves that code.
        using var login = await DeviceLogin.StartAsync(lab.AgentHost(1), lab.AgentServerUrl, "laptop");
        output.WriteLine($"device flow: code {login.UserCode}, url {login.VerificationUrl}");
        Assert.Matches("^[A-Z0-9-]{6,}$", login.UserCode);
        // The CLI points people at the Portal's /device page (the journey test drives that page); the
        // Api's own cookie-and-antiforgery verification page keeps working for the same code.
        Assert.EndsWith("/device?code=" + Uri.EscapeDataString(login.UserCode), login.VerificationUrl.AbsoluteUri, StringComparison.Ordinal);
        await page.GotoAsync($"{lab.Api.LoopbackUrl}/connect/verify?user_code={Uri.EscapeDataString(login.UserCode)}");
        Assert.Equal(login.UserCode, await page.GetByLabel("Code").InputValueAsync());
        await Screenshots.TakeAsync(page, nameof(PortalLabSmokeTests), "api-device-approval");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Device approved" })).ToBeVisibleAsync();

        Assert.True(await login.WaitAsync(TimeSpan.FromSeconds(30)) == 0, login.Output);
        var agent = lab.AddAgent(1, login.State, "laptop");
        Assert.Equal("laptop", agent.Enrolment.Name);
        var owner = await LabApi.SignInAsync(lab.Api.Factory, user.Email, user.Password);
        var devices = await owner.ListDevicesAsync();
        Assert.Contains(devices, d => d.Id == agent.Enrolment.DeviceId && d.Name == "laptop");
    }

    [SkippableFact]
    public async Task The_Portal_process_renders_its_first_page_and_signs_a_user_in_through_the_Api()
    {
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 1, portal: true);
        var user = await LabUser.RegisterAsync(lab.Api, "owner");
        var page = await lab.Browser.NewPageAsync("owner");

        var response = await page.GotoAsync(lab.PortalUrl, new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET {page.Url}: {response.Status}\n{lab.Logs()}");
        // The title comes with the prerendered head; on a loaded machine the interactive render may still be replacing it.
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"\S"), new() { Timeout = 30_000 });
        var shots = await Screenshots.TakeAsync(page, nameof(PortalLabSmokeTests), "portal-first-page");
        output.WriteLine("screenshots: " + string.Join(", ", shots));
        await Assertions.Expect(PortalSession.AccountMenu(page)).ToHaveCountAsync(0);

        await PortalSession.SignInAsync(page, lab, user);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Screenshots.TakeAsync(page, nameof(PortalLabSmokeTests), "portal-signed-in");
        await Assertions.Expect(PortalSession.AccountMenu(page)).ToHaveAccessibleNameAsync($"Account menu for {user.Name}");
    }
}
