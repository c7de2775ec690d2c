namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>How one discovery test ended.</summary>
public enum ProbeOutcome
{
    /// <summary>Not run (nothing to ask, or skipped to keep an earlier result).</summary>
    NotRun,

    /// <summary>An answer arrived.</summary>
    Answered,

    /// <summary>Nothing arrived before the timeout.</summary>
    Silent,

    /// <summary>The server cannot do it (an error response, e.g. 420 for a CHANGE-REQUEST it cannot honour).</summary>
    Unsupported,
}
