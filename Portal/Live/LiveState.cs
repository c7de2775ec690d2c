namespace HamachiCloud.Portal.Live;

/// <summary>The circuit's link to the Api's portal hub, as the page shows it.</summary>
public enum LiveState
{
    /// <summary>Not started, or the first connect attempt is still running.</summary>
    Connecting,

    /// <summary>Connected: pushes arrive.</summary>
    Live,

    /// <summary>The hub dropped (or never answered); retrying. The page keeps its last data.</summary>
    Reconnecting,

    /// <summary>The session ended (no token): nothing more will come until the user signs in again.</summary>
    SignedOut,
}
