namespace HamachiCloud.Portal.Components.Layout;

/// <summary>The user's colour choice; <see cref="System"/> follows the operating system.</summary>
public enum ThemeMode
{
    System = 0,
    Light = 1,
    Dark = 2,
}
