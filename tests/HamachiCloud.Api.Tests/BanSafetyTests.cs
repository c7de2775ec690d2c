using System.Diagnostics;
using System.Net;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Bans;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Hosting;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Issue 12, item 8: staff cannot lock everyone out by accident. A very wide ban, or one holding the
/// caller or a relay, needs a second confirmation; a ban never stops staff tokens or relay heartbeats;
/// and the operator's <c>lift-bans</c> command (the real Api executable) removes every ban.
/// Each test has its own Api (the bans would lock out the other tests).
/// </summary>
public sealed class BanSafetyTests
{
    private const string Outside = "192.0.2.50";

    [Theory]
    [InlineData("0.0.0.0/0", "wider than a /16")]
    [InlineData("10.0.0.0/8", "wider than a /16")]
    [InlineData("::/0", "wider than a /32")]
    [InlineData("192.0.2.0/24", "your own address")]
    public async Task A_dangerous_ban_needs_the_second_confirmation(string cidr, string why)
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var staff = As(f, await TestUser.CreateStaffAsync(f), Outside);
        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => staff.CreateBanAsync(new CreateBanRequest(cidr, "oops")));
        Assert.Equal((400, ErrorCodes.BanNeedsConfirmation), (refused.Status, refused.Code));
        Assert.Contains(why, refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await staff.ListBansAsync());

        var confirmed = await staff.CreateBanAsync(new CreateBanRequest(cidr, "really", Confirm: true));
        Assert.Equal(cidr, confirmed.Cidr);
        Assert.NotNull(await staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "a narrow one needs no confirmation")));
    }

    [Fact]
    public async Task A_ban_of_a_relays_range_needs_the_confirmation()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        using (var beat = await RelayApiTests.PostAsync(f.CreateClient(), RelayApiTests.Heartbeat(Guid.NewGuid())))
        {
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        }

        var relayAddress = IPEndPoint.Parse(RelayApiTests.Heartbeat(Guid.NewGuid()).UdpEndpoints[0]).Address;
        var staff = As(f, await TestUser.CreateStaffAsync(f), Outside);
        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => staff.CreateBanAsync(new CreateBanRequest($"{relayAddress}/32", "the relay")));
        Assert.Contains("holds relay", refused.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everyone_banned_still_leaves_staff_and_relays_in_and_lift_bans_recovers()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var user = await TestUser.CreateAsync(f, "someone");
        var staff = As(f, await TestUser.CreateStaffAsync(f), Outside);
        var everyone = await staff.CreateBanAsync(new CreateBanRequest("0.0.0.0/0", "by mistake", Confirm: true));

        var banned = await Assert.ThrowsAsync<HamachiApiException>(() => As(f, user, "198.51.100.9").ListNetworksAsync());
        Assert.Equal((403, ErrorCodes.Banned), (banned.Status, banned.Code));
        var heartbeatClient = f.CreateClient();
        heartbeatClient.DefaultRequestHeaders.Add(TestClientAddress.Header, "203.0.113.10");
        using (var beat = await RelayApiTests.PostAsync(heartbeatClient, RelayApiTests.Heartbeat(Guid.NewGuid())))
        {
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode); // relays keep heartbeating with their secret
        }

        using (var anonymous = await heartbeatClient.GetAsync("/api/v1/networks"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        }

        Assert.Single(await staff.ListBansAsync()); // staff still get in ...
        await staff.DeleteBanAsync(everyone.Id); // ... and can undo it
        Assert.Empty(await As(f, user, "198.51.100.9").ListNetworksAsync());

        // The operator's way back, with the real executable on the same database: every ban is gone.
        await staff.CreateBanAsync(new CreateBanRequest("0.0.0.0/0", "again", Confirm: true));
        await staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "and another"));
        var output = RunApiCommand(f, "lift-bans");
        Assert.Contains("lifted 2 ban(s)", output, StringComparison.Ordinal);
        Assert.Contains("lifting ban 0.0.0.0/0 (again)", output, StringComparison.Ordinal);
        f.Services.GetRequiredService<Bans.BanList>().Invalidate(); // this node re-reads at once; others within BanList.MaxAge
        Assert.Empty(await As(f, user, "198.51.100.9").ListNetworksAsync());
    }

    /// <summary>A client with the user's token whose requests come from <paramref name="address"/>.</summary>
    private static HamachiClient As(ApiFactory f, TestUser user, string address)
    {
        var http = f.CreateClient();
        http.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        var client = new HamachiClient(http);
        client.UseAccessToken(user.Tokens.AccessToken);
        return client;
    }

    /// <summary>Runs the Api executable (the solution's Release build) with a command, on the factory's database and keys.</summary>
    private static string RunApiCommand(ApiFactory f, string command)
    {
        var dll = Path.Combine(Repository.Root, "Api", "Server", "bin", "Release", "net10.0", "HamachiCloud.Api.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution (Release) first");
        var database = f.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            dll, command, "--contentRoot", Path.GetDirectoryName(dll)!,
            "--Database:Provider", "Sqlite", "--Database:ConnectionString", database.ConnectionString,
            "--Identity:KeyDirectory", f.KeyDirectory, "--Relays:RegistrationSecret", ApiFactory.RelaySecret, "--Bootstrap:CreateAdmin", "false",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the Api command did not exit");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stdout}{stderr.Result}");
        return stdout;
    }
}
