using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace HamachiCloud.Api.Errors;

/// <summary>
/// Turns every exception into a problem-details answer with a stable <c>code</c>: rule violations
/// keep their status, malformed requests (bad JSON, wrong types, unknown members) become 400,
/// anything else 500 without internals. Every body carries the request's <c>correlationId</c>
/// (added by the problem-details service, see <see cref="CorrelationIdMiddleware"/>).
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail, errors) = exception switch
        {
            ApiProblemException p => (p.Status, p.Code, p.Message, p.Errors),
            BadHttpRequestException b => (b.StatusCode, ErrorCodes.MalformedRequest, Describe(b), null),
            JsonException j => (400, ErrorCodes.MalformedRequest, $"malformed JSON: {j.Message}", null),
            _ => (500, ErrorCodes.InternalError, "an unexpected error occurred; it has been logged", (IDictionary<string, string[]>?)null),
        };

        if (status >= 500)
        {
            log.LogError(exception, "unhandled error on {Method} {Path} (correlation id {CorrelationId})",
                context.Request.Method, context.Request.Path, CorrelationIdMiddleware.Of(context));
        }

        context.Response.StatusCode = status;
        if ((exception as ApiProblemException)?.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = RateLimiting.RateLimits.Seconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new ProblemDetails { Status = status, Title = TitleOf(status), Detail = detail };
        problem.Extensions["code"] = code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        foreach (var (key, value) in (exception as ApiProblemException)?.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static string Describe(BadHttpRequestException b) =>
        b.InnerException is JsonException j ? $"malformed JSON: {j.Message}" : b.Message;

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        402 => "Plan required",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Payload too large",
        415 => "Unsupported media type",
        429 => "Too many requests",
        _ => status >= 500 ? "Server error" : "Request failed",
    };
}
