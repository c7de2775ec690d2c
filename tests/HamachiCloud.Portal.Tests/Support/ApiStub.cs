using System.Net;
using System.Net.Http.Json;
using HamachiCloud.Api.Contracts;

namespace HamachiCloud.Portal.Tests.Support;

/// <summary>The Api as the typed client sees it, in memory: GET answers by path (JSON with the REST conventions), 404 otherwise; requests are counted.</summary>
public sealed class ApiStub : HttpMessageHandler
{
    private readonly Dictionary<string, Func<object>> _answers = new(StringComparer.Ordinal);

    public List<string> Requests { get; } = [];

    public void Answer(string pathAndQuery, Func<object> body) => _answers[pathAndQuery] = body;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery;
        lock (Requests)
        {
            Requests.Add($"{request.Method} {path}");
        }

        if (request.Method == HttpMethod.Get && _answers.TryGetValue(path, out var body))
        {
            var options = new System.Text.Json.JsonSerializerOptions();
            HamachiJson.Configure(options);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(body(), body().GetType(), options: options) });
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}
