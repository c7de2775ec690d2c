namespace HamachiCloud.Portal.Auth;

/// <summary>The user's Api session is gone (signed out elsewhere, refresh refused, tokens expired): sign in again.</summary>
public sealed class SessionEndedException : Exception
{
    public SessionEndedException()
        : this("the session has ended; sign in again")
    {
    }

    public SessionEndedException(string message)
        : base(message)
    {
    }

    public SessionEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
