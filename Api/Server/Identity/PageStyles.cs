using System.Security.Cryptography;
using System.Text;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The one stylesheet of the Api's own pages (<see cref="HtmlPages"/>), served at <see cref="Path"/> with a
/// content hash in the link so it can be cached for a year. MudBlazor's look, like the Portal: Roboto /
/// system-ui, a centred card, primary #594AE2, outlined fields, filled buttons; dark through
/// <c>prefers-color-scheme</c>; fits a 390 px phone. No inline styles anywhere (a CSP stays possible).
/// </summary>
internal static class PageStyles
{
    public const string Path = "/account/hamachi.css";

    public const string Css = """
        :root{--primary:#594ae2;--primary-hover:#4a3bd0;--on-primary:#fff;--bg:#f5f5f5;--surface:#fff;--text:rgba(0,0,0,.87);
        --text-2:rgba(0,0,0,.6);--line:rgba(0,0,0,.23);--line-hover:rgba(0,0,0,.87);--error:#f44336;--error-bg:rgba(244,67,54,.08);
        --ok:#00c853;--ok-bg:rgba(0,200,83,.08);--shadow:0 2px 1px -1px rgba(0,0,0,.2),0 1px 1px 0 rgba(0,0,0,.14),0 1px 3px 0 rgba(0,0,0,.12);
        color-scheme:light dark}
        @media (prefers-color-scheme:dark){:root{--primary:#776be7;--primary-hover:#8a80ea;--bg:#1a1a27;--surface:#27272f;
        --text:rgba(255,255,255,.87);--text-2:rgba(255,255,255,.6);--line:rgba(255,255,255,.23);--line-hover:rgba(255,255,255,.87);
        --error:#f66;--error-bg:rgba(255,102,102,.12);--ok:#0c8;--ok-bg:rgba(0,204,136,.12);--shadow:0 2px 4px rgba(0,0,0,.5)}}
        *{box-sizing:border-box}
        html{font-size:16px}
        body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;background:var(--bg);color:var(--text);
        font-family:Roboto,system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:.875rem;line-height:1.43;letter-spacing:.01071em}
        main.card{width:100%;max-width:26rem;margin:4rem 1rem;padding:2rem 1.5rem;background:var(--surface);border-radius:4px;box-shadow:var(--shadow)}
        .brand{display:flex;align-items:center;gap:.5rem;margin:0 0 1.25rem;font-size:1.125rem;font-weight:500;color:var(--primary)}
        .brand .logo{display:inline-flex;align-items:center;justify-content:center;width:2rem;height:2rem;border-radius:50%;
        background:var(--primary);color:var(--on-primary);font-weight:700}
        h1{margin:0 0 1rem;font-size:1.5rem;font-weight:400;line-height:1.334}
        p{margin:0 0 1rem}
        a{color:var(--primary);text-decoration:none}a:hover{text-decoration:underline}
        code{font-family:ui-monospace,"Roboto Mono",Consolas,monospace;font-size:.95em;padding:.1em .3em;border-radius:3px;background:var(--bg)}
        form{margin:0}
        .field{position:relative;margin:0 0 1.25rem}
        .field label{display:block;margin:0 0 .35rem;color:var(--text-2);font-size:.75rem;font-weight:500;letter-spacing:.03em}
        .field input{width:100%;height:3.5rem;padding:0 .875rem;border:1px solid var(--line);border-radius:4px;background:transparent;
        color:var(--text);font:inherit;font-size:1rem;outline:none;transition:border-color .15s}
        .field input:hover{border-color:var(--line-hover)}
        .field input:focus{border-color:var(--primary);box-shadow:inset 0 0 0 1px var(--primary)}
        .field input[aria-invalid=true]{border-color:var(--error)}
        .field .hint{display:block;margin:.25rem .875rem 0;color:var(--text-2);font-size:.75rem}
        .field .corner{position:absolute;top:0;right:0;font-size:.75rem}
        .code-input{letter-spacing:.3em;font-family:ui-monospace,"Roboto Mono",Consolas,monospace}
        .error,.notice{margin:0 0 1.25rem;padding:.75rem 1rem;border-radius:4px}
        .error{color:var(--error);background:var(--error-bg)}
        .notice{color:var(--text);background:var(--ok-bg);border-left:3px solid var(--ok)}
        .actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0 0}
        .btn{display:inline-flex;align-items:center;justify-content:center;min-width:4rem;min-height:2.5rem;padding:.375rem 1.25rem;border-radius:4px;
        border:1px solid transparent;font:inherit;font-weight:500;font-size:.875rem;letter-spacing:.02857em;text-transform:uppercase;cursor:pointer;
        transition:background-color .15s,box-shadow .15s}
        .btn-filled{background:var(--primary);color:var(--on-primary);box-shadow:0 3px 1px -2px rgba(0,0,0,.2),0 2px 2px 0 rgba(0,0,0,.14),0 1px 5px 0 rgba(0,0,0,.12)}
        .btn-filled:hover{background:var(--primary-hover)}
        .btn-outlined{background:transparent;color:var(--primary);border-color:var(--primary)}
        .btn-outlined:hover{background:rgba(89,74,226,.06)}
        .btn:focus-visible,a:focus-visible,input:focus-visible{outline:2px solid var(--primary);outline-offset:2px}
        .btn-block{width:100%}
        .links{display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem;margin:1.5rem 0 0;padding:1rem 0 0;border-top:1px solid var(--line)}
        .muted{color:var(--text-2)}
        @media (max-width:480px){main.card{margin:1rem .5rem;padding:1.5rem 1rem}.actions .btn{flex:1 1 auto}}
        """;

    /// <summary>The link to put in pages: the path with the first 12 hex digits of the content's SHA-256.</summary>
    public static readonly string VersionedPath = Path + "?v=" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))[..12];

    public static void MapPageStyles(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, (HttpContext ctx) =>
            {
                ctx.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return Results.Text(Css, "text/css; charset=utf-8");
            })
            .ExcludeFromDescription()
            .AllowAnonymous();
}
