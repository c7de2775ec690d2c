using HamachiCloud.Api.Tests;
using HamachiCloud.Data.Entities;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// Issue 14's support console in the browser: a customer cannot open /support; a support user searches the customer
/// by email, opens the account (its sign-in with the address is there), disables it with a reason, and finds the
/// action on the audit page.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PortalSupportTests(ITestOutputHelper output)
{
    private const string Test = nameof(PortalSupportTests);

    [SkippableFact]
    public async Task Support_searches_an_account_disables_it_with_a_reason_and_sees_it_in_the_audit_log()
    {
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 1, portal: true);
        var customer = await LabUser.RegisterAsync(lab.Api, "customer");
        var staff = await LabUser.RegisterAsync(lab.Api, "support");
        var staffId = (await (await LabApi.SignInAsync(lab.Api.Factory, staff.Email, staff.Password)).GetMeAsync()).Id;
        using (var scope = lab.Api.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            await users.AddToRoleAsync((await users.FindByIdAsync(staffId.ToString()))!, Roles.Support);
        }

        // A customer is refused the console (the page says so; the Api refuses its calls anyway).
        var customerPage = await lab.Browser.NewPageAsync("customer");
        await PortalSession.SignInAsync(customerPage, lab, customer, "/support");
        await Assertions.Expect(customerPage.GetByTestId("staff-only")).ToContainTextAsync("403", new() { Timeout = 20_000 });
        await Assertions.Expect(customerPage.GetByTestId("support-query")).ToHaveCountAsync(0);

        var page = await lab.Browser.NewPageAsync("support");
        await PortalSession.SignInAsync(page, lab, staff, "/support");
        await page.GetByTestId("support-query").FillAsync(customer.Email);
        await page.GetByTestId("support-search").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = customer.Email }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-state")).ToContainTextAsync("active", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("audit-events")).ToContainTextAsync("account.signed_in");
        await PortalSession.WaitInteractiveAsync(page);
        await page.GetByTestId("action-reason").FillAsync("credential stuffing from this account");
        await page.GetByTestId("disable-account").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-state")).ToContainTextAsync("credential stuffing from this account", new() { Timeout = 20_000 });
        await Screenshots.TakeAsync(page, Test, "account-disabled");

        await PortalSession.OpenAsync(page, $"{lab.PortalUrl}/audit");
        await page.GetByTestId("audit-action").FillAsync("support");
        await page.GetByTestId("audit-search").ClickAsync();
        var row = page.Locator("[data-action='support.account_disabled']");
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Assertions.Expect(row).ToContainTextAsync("credential stuffing from this account");
        await Assertions.Expect(row).ToContainTextAsync(staff.Email);
        await Screenshots.TakeAsync(page, Test, "audit");
    }
}
