namespace HamachiCloud.Api.Errors;

/// <summary>
/// A rule said no. Thrown by services, turned into an RFC 7807 problem with the stable
/// <see cref="Code"/> by <see cref="ProblemExceptionHandler"/>. Nothing has been written when it is thrown.
/// </summary>
public sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
        : base(detail)
    {
        Status = status;
        Code = code;
        Errors = errors;
    }

    public ApiProblemException()
        : this(500, ErrorCodes.InternalError, "unexpected error")
    {
    }

    public ApiProblemException(string message)
        : this(400, ErrorCodes.ValidationFailed, message)
    {
    }

    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Code = ErrorCodes.InternalError;
    }

    public int Status { get; }
    public string Code { get; }
    public IDictionary<string, string[]>? Errors { get; }

    /// <summary>More members of the problem body (e.g. <c>plan</c> of a <see cref="ErrorCodes.PlanRequired"/> problem).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>Sent as <c>Retry-After</c> (whole seconds, rounded up) when set, e.g. on a 429 of a rate limit.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ApiProblemException NotFound(string what) => new(404, ErrorCodes.NotFound, $"{what} was not found");

    public static ApiProblemException Forbidden(string detail) => new(403, ErrorCodes.Forbidden, detail);

    public static ApiProblemException Conflict(string code, string detail) => new(409, code, detail);

    public static ApiProblemException BadRequest(string code, string detail) => new(400, code, detail);
}
