namespace HamachiCloud.Api.Contracts.Client;

/// <summary>The API answered with an error; <see cref="Problem"/> says which.</summary>
public sealed class HamachiApiException : Exception
{
    public HamachiApiException(ApiProblem problem)
        : base($"{problem.Status} {problem.Code}: {problem.Detail ?? problem.Title}")
    {
        Problem = problem;
    }

    public HamachiApiException()
        : this(new ApiProblem(0, ErrorCodes.InternalError, null, null, null))
    {
    }

    public HamachiApiException(string message)
        : base(message)
    {
        Problem = new ApiProblem(0, ErrorCodes.InternalError, null, message, null);
    }

    public HamachiApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = new ApiProblem(0, ErrorCodes.InternalError, null, message, null);
    }

    public ApiProblem Problem { get; }

    public string Code => Problem.Code;
    public int Status => Problem.Status;
}
