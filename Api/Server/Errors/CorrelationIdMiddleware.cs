using HamachiCloud.Api.Contracts.Client;

namespace HamachiCloud.Api.Errors;

/// <summary>
/// First in the pipeline: every request gets a correlation id — the caller's <c>X-Correlation-Id</c> when it is
/// 1..64 characters of <c>[A-Za-z0-9._-]</c> (the Portal sends its own, so one id is in both logs), else a new
/// one. It is answered as the <c>X-Correlation-Id</c> header, put in the logging scope of the request
/// (<c>CorrelationId</c>), used as <see cref="HttpContext.TraceIdentifier"/>, and written as <c>correlationId</c>
/// into every problem body (<see cref="AddToProblem"/>).
/// </summary>
internal sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> log)
{
    public const string Header = HamachiClient.CorrelationIdHeader;
    public const int MaxLength = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        var id = context.Request.Headers[Header] is [{ } sent] && IsValid(sent) ? sent : NewId();
        context.TraceIdentifier = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id; // after the exception handler cleared the headers, too
            return Task.CompletedTask;
        });
        using (log.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }

    /// <summary>The correlation id of this request (the trace identifier this middleware set).</summary>
    public static string Of(HttpContext context) => context.TraceIdentifier;

    public static void AddToProblem(Microsoft.AspNetCore.Http.ProblemDetailsContext problem) =>
        problem.ProblemDetails.Extensions["correlationId"] = Of(problem.HttpContext);

    public static bool IsValid(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>12 characters of a 32-letter alphabet (60 bits): short enough to read out, unique enough for a log search.</summary>
    private static string NewId() => System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 12);
}
