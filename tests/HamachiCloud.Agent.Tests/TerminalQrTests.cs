using HamachiCloud.Agent.Enrol;

namespace HamachiCloud.Agent.Tests;

public sealed class TerminalQrTests
{
    [Fact]
    public void Half_blocks_draw_two_rows_per_line_with_light_modules_filled()
    {
        bool[][] dark = [[false, true, false, true], [false, false, true, true], [true, false, true, false]];

        Assert.Equal("█▄▀ \n▄█▄█\n", TerminalQr.Render(dark));
    }

    [Fact]
    public void A_sign_in_url_becomes_a_square_code_with_quiet_zone_and_finder_patterns()
    {
        var lines = TerminalQr.Render("http://198.18.0.11:8080/connect/verify?user_code=ABCD-EFGH").TrimEnd('\n').Split('\n');

        var width = lines[0].Length;
        Assert.All(lines, l => Assert.Equal(width, l.Length));
        Assert.Equal((width + 1) / 2, lines.Length); // square: two module rows per line
        Assert.True(width >= 21 + 8, $"width {width}: version 1 plus the quiet zone at least");
        Assert.Equal(new string('█', width), lines[0]); // quiet zone rows 0-1
        Assert.Equal(new string('█', width), lines[1]); // quiet zone rows 2-3
        // Rows 4-5 after the 4-module quiet zone: the upper finder patterns' top row (7 dark) over their
        // second row (dark, 5 light, dark) — both dark: ' ', dark over light: '▄'.
        Assert.Equal("████ ▄▄▄▄▄ ", lines[2][..11]);
        Assert.Equal(" ▄▄▄▄▄ ████", lines[2][^11..]);
    }
}
