using HamachiCloud.Portal.Hosting;

// Composition root of the Portal: validated options (a bad key stops the start, named), cookie +
// OpenID Connect sign-in against the Api, the typed Api client per circuit, Blazor Server + MudBlazor.
var builder = WebApplication.CreateBuilder(args);
builder.AddHamachiPortal();
var app = builder.Build();
app.UseHamachiPortal();
await app.RunAsync();
