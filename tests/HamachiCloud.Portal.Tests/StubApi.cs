using System.Net;
using System.Text;
using System.Text.Json;
using Bunit;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Portal.ApiAccess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;

namespace HamachiCloud.Portal.Tests;

/// <summary>
/// The Api as the components' HttpClient sees it: each request is recorded (method, path, body) and
/// answered by <see cref="Respond"/>. The real typed client and <see cref="ApiCalls"/> run on top.
/// </summary>
public sealed class StubApi : HttpMessageHandler
{
    public List<(HttpMethod Method, string Path, string Body)> Requests { get; } = [];

    public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; set; } = _ => Json(HttpStatusCode.NotFound, new { code = "not_found" });

    public static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Problem(int status, string code, string detail, Dictionary<string, string[]>? errors = null) =>
        Json((HttpStatusCode)status, new { status, code, title = "refused", detail, errors });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!.AbsolutePath, body));
        var response = Respond(request);
        response.RequestMessage ??= request;
        return response;
    }

    /// <summary>A bUnit context with MudBlazor, loose JS interop and the Portal's Api services over this stub.</summary>
    public BunitContext Context()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        var client = new HamachiClient(new HttpClient(this) { BaseAddress = new Uri("http://api.test/") });
        ctx.Services.AddSingleton(client);
        ctx.Services.AddSingleton(new AnonymousApi(client));
        ctx.Services.AddSingleton(new ApiCalls(NullLogger<ApiCalls>.Instance));
        ctx.Services.AddSingleton(TimeProvider.System);
        return ctx;
    }
}
