using System.Net;
using Bunit;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Portal.Components.SetupKeys;
using HamachiCloud.Protocol.Networks;
using MudBlazor;

namespace HamachiCloud.Portal.Tests.SetupKeys;

/// <summary>The create-setup-key form: checks before sending, the Api's field errors, the secret shown once.</summary>
public sealed class CreateSetupKeyPanelTests : QueuedApiTestContext
{
    private static readonly NetworkDto Office = new(
        Guid.NewGuid(), "482-193-557", "office", NetworkType.Mesh, JoinPolicy.Open, false, false, Guid.NewGuid(), "Free", 5, 1,
        MemberRole.Owner, MemberStatus.Active, DateTimeOffset.UnixEpoch);

    private IRenderedComponent<CreateSetupKeyPanel> RenderPanel(CreateSetupKeyForm? form = null)
    {
        Render<MudPopoverProvider>();
        return Render<CreateSetupKeyPanel>(p => p.Add(c => c.Networks, [Office]).Add(c => c.Form, form ?? new CreateSetupKeyForm()));
    }

    [Fact]
    public void An_empty_name_is_refused_next_to_the_field_and_nothing_is_sent()
    {
        var panel = RenderPanel();
        panel.Find("form").Submit();
        Assert.Contains("Enter a name.", panel.Markup, StringComparison.Ordinal);
        Assert.Empty(Api.Requests);
    }

    [Fact]
    public void A_65_character_name_is_refused_with_its_length()
    {
        var panel = RenderPanel(new CreateSetupKeyForm { Name = new string('k', 65) });
        panel.Find("form").Submit();
        Assert.Contains("At most 64 characters (this is 65).", panel.Markup, StringComparison.Ordinal);
        Assert.Empty(Api.Requests);
    }

    [Fact]
    public void The_secret_is_shown_once_with_the_enrol_command_and_the_request_carries_the_networks()
    {
        var dto = new SetupKeyDto(Guid.NewGuid(), "office servers", "hc_key_ab12", true, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(7), 0, null, [Office.Id]);
        Api.Answer(HttpStatusCode.Created, new CreatedSetupKey(dto, "hc_key_ab12secretsecret"));
        SetupKeyDto? raised = null;
        Render<MudPopoverProvider>();
        var panel = Render<CreateSetupKeyPanel>(p => p
            .Add(c => c.Networks, [Office])
            .Add(c => c.Form, new CreateSetupKeyForm { Name = " office servers ", Reusable = true, ExpiresInHours = 7 * 24, Networks = [Office.Id] })
            .Add(c => c.OnCreated, k => raised = k));

        panel.Find("form").Submit();

        panel.WaitForAssertion(() => Assert.Equal("hc_key_ab12secretsecret", panel.Find("[data-testid=setup-key-secret]").TextContent));
        Assert.Contains("sudo hamachi login --server https://api.example.test --setup-key hc_key_ab12secretsecret", panel.Markup, StringComparison.Ordinal);
        Assert.Contains("not shown again", panel.Markup, StringComparison.Ordinal);
        Assert.Equal(dto.Id, raised?.Id);
        var (method, path, body) = Assert.Single(Api.Requests);
        Assert.Equal((HttpMethod.Post, "/api/v1/setup-keys"), (method, path));
        Assert.Contains("\"name\":\"office servers\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"networks\":[\"{Office.Id}\"]", body, StringComparison.Ordinal);
        Assert.Contains("\"expiresInHours\":168", body, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("form")); // the form is gone: the secret cannot be created twice from here
    }

    [Fact]
    public void The_Apis_networks_error_shows_next_to_the_networks_field()
    {
        Api.Answer(HttpStatusCode.BadRequest, new
        {
            status = 400,
            code = "validation_failed",
            title = "Validation failed",
            detail = "one or more fields are invalid",
            errors = new Dictionary<string, string[]> { ["networks"] = ["you can only add networks you own or administer"] },
        });
        var panel = RenderPanel(new CreateSetupKeyForm { Name = "k", Networks = [Office.Id] });
        panel.Find("form").Submit();
        panel.WaitForAssertion(() => Assert.Contains("Networks you can only add networks you own or administer.", panel.Markup, StringComparison.Ordinal));
        Assert.Empty(panel.FindAll("[data-testid=setup-key-secret]"));
    }
}
