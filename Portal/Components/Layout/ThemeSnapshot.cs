namespace HamachiCloud.Portal.Components.Layout;

/// <summary>
/// The theme at the first render, from the cookies <c>wwwroot/js/theme.js</c> keeps:
/// <c>hc_theme</c> (the choice) and <c>hc_system_dark</c> (what the browser reported last).
/// </summary>
public sealed record ThemeSnapshot(ThemeMode Mode, bool SystemDark)
{
    public const string ModeCookie = "hc_theme";
    public const string SystemDarkCookie = "hc_system_dark";

    public static ThemeSnapshot Default { get; } = new(ThemeMode.System, false);

    public bool IsDark => Mode == ThemeMode.Dark || (Mode == ThemeMode.System && SystemDark);

    public static ThemeSnapshot FromCookies(IRequestCookieCollection cookies)
    {
        var mode = cookies[ModeCookie] switch
        {
            "light" => ThemeMode.Light,
            "dark" => ThemeMode.Dark,
            _ => ThemeMode.System,
        };
        return new ThemeSnapshot(mode, cookies[SystemDarkCookie] == "1");
    }

    public static string CookieValue(ThemeMode mode) => mode switch
    {
        ThemeMode.Light => "light",
        ThemeMode.Dark => "dark",
        _ => "system",
    };
}
