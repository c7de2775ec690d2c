using System.Globalization;
using System.Text;

namespace HamachiCloud.Api.Devices;

/// <summary>
/// Pure: makes free text a client sent about itself (OS, agent version, device name in the device
/// flow) safe to store and show: control and format characters (bidi overrides, zero-width marks)
/// and unpaired surrogates removed, runs of whitespace collapsed to one space, trimmed, cut to
/// <c>max</c> characters without splitting a character; null when nothing is left.
/// </summary>
internal static class DeviceText
{
    public static string? Clean(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var text = new StringBuilder(Math.Min(value.Length, max + 1));
        var space = false;
        var elements = StringInfo.GetTextElementEnumerator(value.Length > 4 * max ? value[..(4 * max)] : value);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (element.Length == 1 && char.IsWhiteSpace(element[0]))
            {
                space = text.Length > 0;
                continue;
            }

            var kept = Keep(element);
            if (kept.Length == 0)
            {
                continue;
            }

            var needed = kept.Length + (space ? 1 : 0);
            if (text.Length + needed > max)
            {
                break;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(kept);
        }

        return text.Length == 0 ? null : text.ToString();
    }

    private static string Keep(string element)
    {
        var kept = new StringBuilder(element.Length);
        for (var i = 0; i < element.Length; i++)
        {
            var c = element[i];
            if (char.IsHighSurrogate(c) && i + 1 < element.Length && char.IsLowSurrogate(element[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(element, i) is not (UnicodeCategory.Format or UnicodeCategory.Control))
                {
                    kept.Append(c).Append(element[i + 1]);
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(c) || char.IsWhiteSpace(c))
            {
                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse)
            {
                continue;
            }

            kept.Append(c);
        }

        return kept.ToString();
    }
}
