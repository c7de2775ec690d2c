using HamachiCloud.Api.Hosting;

// Composition root of the Api: configuration, services, pipeline, then the one-time
// initialisation (migrations, OAuth clients, first admin) before serving.
var builder = WebApplication.CreateBuilder(args);
builder.AddHamachiApi();
var app = builder.Build();
app.UseHamachiApi();
await DatabaseInitializer.InitializeAsync(app.Services);
await app.RunAsync();

/// <summary>Entry point; public for WebApplicationFactory in the tests.</summary>
public partial class Program;
