// Runs in <head> before the first paint (a file, not inline: the CSP allows no inline script).
// Records whether the system prefers dark (cookie hc_system_dark) so the server renders the right
// theme, and paints the page background to match at once.
(function () {
    var dark = !!(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
    var cookie = function (name) {
        var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
        return m ? m[1] : null;
    };
    var set = function (name, value) {
        document.cookie = name + '=' + value + '; path=/; max-age=31536000; samesite=lax';
    };
    var known = cookie('hc_system_dark');
    set('hc_system_dark', dark ? '1' : '0');
    var mode = cookie('hc_theme') || 'system';
    var isDark = mode === 'dark' || (mode === 'system' && dark);
    var root = document.documentElement;
    root.style.colorScheme = isDark ? 'dark' : 'light';
    root.style.backgroundColor = isDark ? '#1a1a27' : '#ffffff';
    // The server rendered for known === '1'; when that is wrong (first visit on a dark system, or the
    // system switched since), reload once, hidden. Only when the cookie sticks (no reload loop).
    if (mode === 'system' && (known === '1') !== dark && cookie('hc_system_dark') === (dark ? '1' : '0')) {
        root.style.visibility = 'hidden';
        window.location.reload();
    }
    window.hamachiTheme = {
        setMode: function (m) {
            set('hc_theme', m);
            var d = m === 'dark' || (m === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
            root.style.colorScheme = d ? 'dark' : 'light';
            root.style.backgroundColor = '';
        },
        setSystemDark: function (d) { set('hc_system_dark', d ? '1' : '0'); },
        // Called once the circuit has rendered the page interactively (Routes.razor): from then on
        // typing and clicks reach the server. Browser tests wait for <html data-interactive="true">.
        markInteractive: function () { root.setAttribute('data-interactive', 'true'); }
    };
})();
