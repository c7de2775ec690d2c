using HamachiCloud.Agent.Commands;
using HamachiCloud.Agent.State;

namespace HamachiCloud.Agent.Tests;

public sealed class LogoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hamachi-logout-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Without_a_stored_token_logout_says_the_device_stays_and_removes_keys_enrolment_and_cache()
    {
        var state = new StateDirectory(_dir);
        using (state.LoadOrCreateMachineKey())
        using (state.LoadOrCreateNodeKey())
        {
        }

        state.SaveEnrolment(new Enrolment(Maps.Self, "box", "http://198.18.0.11:8080", "key", "100.64.0.100", "fd00::100", "100.64.0.0/10", null));
        var stdout = new StringWriter();

        var code = CommandLine.Run(["logout", "--state-dir", _dir], TextReader.Null, stdout, new StringWriter());

        Assert.Equal(CommandLine.Ok, code);
        Assert.Contains("no sign-in token stored", stdout.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.Null(state.LoadEnrolment());
    }
}
