using HamachiCloud.Api.Hosting;

// Composition root of the Api: configuration, services, pipeline, then the one-time
// initialisation (migrations, OAuth clients, first admin) before serving.
// `HamachiCloud.Api reset-admin-password [--Bootstrap:AdminEmail=...]` instead prints a new
// one-time password for the admin and exits (same configuration as the server).
// `HamachiCloud.Api lift-bans` deletes every IP-range ban (audited) and exits.
var resetAdmin = args is [DatabaseInitializer.ResetCommand, ..];
var liftBans = args is [HamachiCloud.Api.Bans.BanRecovery.Command, ..];
var builder = WebApplication.CreateBuilder(resetAdmin || liftBans ? args[1..] : args);
builder.AddHamachiApi();
var app = builder.Build();
app.UseHamachiApi();
await DatabaseInitializer.InitializeAsync(app.Services);
if (resetAdmin)
{
    await DatabaseInitializer.ResetAdminPasswordAsync(app.Services);
    return;
}

if (liftBans)
{
    await HamachiCloud.Api.Bans.BanRecovery.LiftAllAsync(app.Services);
    return;
}

await app.RunAsync();

/// <summary>Entry point; public for WebApplicationFactory in the tests.</summary>
public partial class Program;
