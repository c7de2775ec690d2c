using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// Issue 11's journey in a real browser against the real Api, relay and Portal (<see cref="PortalLab"/>): a visitor
/// signs up, confirms the email from the mail folder, signs in, creates a mesh network with approval and a setup
/// key; a real <c>hamachi</c> daemon enrolled by device code appears once approved in the browser; a second user's
/// agent joins with the password, the owner approves it and sees it online within 2 s without reloading; the
/// connection picture shows that pair as direct; the owner evicts it and its tunnel goes down; deleting the network
/// needs the typed confirmation. Screenshots of each main page (desktop, 390 px, dark) go under <see cref="Screenshots.Root"/>.
///
/// UNFINISHED (branch e2e): the steps are written against the Portal's visible names as far as they are known and
/// are NOT a test yet: the methods carry no [SkippableFact], so nothing runs and nothing passes. Finish each step
/// against the Portal on main (labels, button names, routes), then add [SkippableFact] to each method.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PortalJourneyTests(ITestOutputHelper output)
{
    private const string Test = nameof(PortalJourneyTests);

    // UNFINISHED: add [SkippableFact] when the steps below match the Portal on main.
    public async Task A_visitor_signs_up_runs_a_network_and_its_agents_from_the_browser()
    {
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 2, portal: true);
        var owner = LabUser.New("owner");
        var page = await lab.Browser.NewPageAsync("owner");

        // 1. Sign up on the Portal's /signup page, confirm the email from the mail folder, sign in.
        await page.GotoAsync($"{lab.PortalUrl}/signup");
        await Screenshots.TakeAsync(page, Test, "signup");
        await page.GetByLabel("Name").FillAsync(owner.Name);
        await page.GetByLabel("Email").FillAsync(owner.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(owner.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        var (_, confirm) = await lab.Mail.WaitForLinkAsync(owner.Email, "/account/confirm-email", TimeSpan.FromSeconds(20));
        Assert.Contains("userId=", confirm.Query, StringComparison.Ordinal);
        Assert.Contains("code=", confirm.Query, StringComparison.Ordinal);
        await page.GotoAsync(confirm.AbsoluteUri);
        await Assertions.Expect(page.GetByText("confirmed", new() { Exact = false })).ToBeVisibleAsync();
        await PortalSession.SignInAsync(page, lab, owner, "/networks");

        // 2. Create a mesh network that needs approval, with a password.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create network" }).First.ClickAsync();
        await page.GetByLabel("Network name").FillAsync("lan party");
        await page.GetByLabel("Password (optional)").FillAsync("let me in please");
        // UNFINISHED: type mesh and join policy "approval" (radio groups "Network type" / "Join policy").
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create network" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "lan party" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, Test, "network");

        // 3. Create a setup key (UNFINISHED: the setup keys page's fields and the shown-once key).
        await page.GotoAsync($"{lab.PortalUrl}/setup-keys");
        await Screenshots.TakeAsync(page, Test, "setup-keys");

        // 4. A real daemon enrolled by device code: the CLI prints the Portal's /device?code=XXXX-XXXX URL; approve it.
        using var login = await DeviceLogin.StartAsync(lab.AgentHost(1), lab.AgentServerUrl, "laptop");
        Assert.StartsWith($"{lab.PortalUrl}/device", login.VerificationUrl.AbsoluteUri, StringComparison.Ordinal);
        await page.GotoAsync(login.VerificationUrl.AbsoluteUri);
        await Assertions.Expect(page.GetByText(login.UserCode)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("laptop")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, Test, "device-approval");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        Assert.True(await login.WaitAsync(TimeSpan.FromSeconds(30)) == 0, login.Output);
        var laptop = lab.AddAgent(1, login.State, "laptop");
        await page.GotoAsync($"{lab.PortalUrl}/devices");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "laptop" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, Test, "devices");

        // 5. A second user's agent joins with the password; the owner approves it and sees it online within 2 s, no reload.
        // UNFINISHED: enrol the guest (LabApi.SignUpAsync + setup key, host 2), `hamachi join <id> --password`, then:
        //   var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "guest" });
        //   await row.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        //   var clock = Stopwatch.StartNew();
        //   await Assertions.Expect(row.GetByText("Online")).ToBeVisibleAsync(new() { Timeout = 2_000 });

        // 6. The connection picture shows the pair laptop-guest as direct (UNFINISHED: its accessible names).
        // 7. Evict the guest: its tunnel goes down (Pings.StopsAnswering(laptop.Namespace, guest.IPv4, 10 s)).
        Assert.True(Pings.Answers(laptop.Namespace, laptop.IPv4, TimeSpan.FromSeconds(2)), "the laptop's own overlay address");
        // 8. Delete the network: the button stays disabled until the name is typed; then it is gone.
        throw new NotImplementedException("journey unfinished after step 4: see the UNFINISHED notes");
    }

    // UNFINISHED: add [SkippableFact] when the Portal's forms are on main.
    public async Task Bad_input_in_the_browser_gets_a_message_next_to_the_field_and_creates_nothing()
    {
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 1, portal: true);
        var owner = await LabUser.RegisterAsync(lab.Api, "owner");
        var page = await lab.Browser.NewPageAsync("owner");
        await PortalSession.SignInAsync(page, lab, owner, "/networks");

        // Empty and 200-character network names: a message next to the "Network name" field, no network created.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create network" }).First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create network" }).ClickAsync();
        await Assertions.Expect(dialog.GetByText("required", new() { Exact = false })).ToBeVisibleAsync();
        await dialog.GetByLabel("Network name").FillAsync(new string('n', 200));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create network" }).ClickAsync();
        await Screenshots.TakeAsync(page, Test, "create-network-invalid");
        var client = await LabApi.SignInAsync(lab.Api.Factory, owner.Email, owner.Password);
        Assert.Empty(await client.ListNetworksAsync());

        // UNFINISHED: a wrong network password (join form), an expired setup key, a device code typed wrong
        // (the Portal's /device page with a made-up code): each a message next to its field.
        throw new NotImplementedException("bad-input checks unfinished: see the UNFINISHED notes");
    }
}
