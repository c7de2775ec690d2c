namespace HamachiCloud.Data.Entities;

/// <summary>Deployment-wide role names.</summary>
public static class Roles
{
    /// <summary>Operators of the deployment: everything support can do, plus settings.</summary>
    public const string Admin = "admin";

    /// <summary>Support staff: ban IP ranges, read the audit log, grant plans.</summary>
    public const string Support = "support";
}
