using System.Net;
using System.Text;
using System.Text.Json;
using HamachiCloud.Api.Contracts;

namespace HamachiCloud.Portal.Tests;

/// <summary>An HTTP handler standing in for the Api: answers each request with the next queued response and keeps the requests.</summary>
public sealed class QueuedApi : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Status, string Json)> _answers = new();

    public List<(HttpMethod Method, string Path, string? Body)> Requests { get; } = [];

    /// <summary>Queues an answer: <paramref name="body"/> as JSON, or as it is when it is a string of another <paramref name="contentType"/> (e.g. CSV).</summary>
    public void Answer(HttpStatusCode status, object body, string contentType = "application/json") =>
        _answers.Enqueue((status, body is string raw && contentType != "application/json" ? raw : JsonSerializer.Serialize(body, HamachiJson.Options)));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!.AbsolutePath, body));
        if (!_answers.TryDequeue(out var answer))
        {
            throw new InvalidOperationException($"unexpected request {request.Method} {request.RequestUri}");
        }

        var type = (int)answer.Status >= 400 ? "application/problem+json" : "application/json";
        return new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Json, Encoding.UTF8, type) };
    }
}
