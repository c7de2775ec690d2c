using HamachiCloud.Portal.Components.Networks;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Tests.Networks;

/// <summary>The create-network form's own checks (the Api checks again; its field errors show the same way).</summary>
public sealed class CreateNetworkFormTests
{
    [Theory]
    [InlineData("", "Enter a name.")]
    [InlineData("   ", "Enter a name.")]
    [InlineData("office\u0007", "No control characters.")]
    public void Bad_names_get_a_message(string name, string message) =>
        Assert.Equal(message, new CreateNetworkForm { Name = name }.NameError());

    [Fact]
    public void A_200_character_name_is_refused_with_its_length()
    {
        var form = new CreateNetworkForm { Name = new string('n', 200) };
        Assert.Equal($"At most {NetworkLimits.MaxNameLength} characters (this is 200).", form.NameError());
        Assert.False(form.IsValid);
    }

    [Theory]
    [InlineData(false, "", JoinPolicy.Open)]
    [InlineData(false, "secret", JoinPolicy.Password)]
    [InlineData(true, "", JoinPolicy.Approval)]
    [InlineData(true, "secret", JoinPolicy.Approval)]
    public void The_join_policy_follows_approval_and_password(bool approval, string password, JoinPolicy expected)
    {
        var request = new CreateNetworkForm { Name = "  office ", Password = password, RequireApproval = approval }.ToRequest();
        Assert.Equal("office", request.Name);
        Assert.Equal(expected, request.JoinPolicy);
        Assert.Equal(password.Length == 0 ? null : password, request.Password);
    }
}
