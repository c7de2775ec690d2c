namespace HamachiCloud.Api.Identity;

/// <summary>
/// The open-redirect guard for every return URL of the sign-in pages: only a same-site path.
/// "/x" passes; "//host", "/\host", absolute URLs and anything holding a control character or
/// whitespace fail — browsers drop tabs and newlines from URLs, so "/\t/evil.example" would
/// become "//evil.example", and a newline in a Location header is a 500.
/// </summary>
internal static class ReturnUrls
{
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url[0] != '/')
        {
            return false;
        }

        foreach (var c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            {
                return false;
            }
        }

        return url.Length == 1 || url[1] != '/';
    }
}
