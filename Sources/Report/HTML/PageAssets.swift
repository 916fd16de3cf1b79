import Corpus
import Foundation

/// The style sheet and the script of `report.html`, inline (the page makes no request), each
/// allowed by its SHA-256 in the page's Content-Security-Policy and nothing else: a script or
/// style that got into the page any other way would not run.
enum PageAssets {
    static let style = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#5b5b66;--line:#d8d8de;--card:#f7f7f9;--accent:#0b57d0;--orig:#0b57d0;--copy:#b3261e;--same:#137333}
        @media (prefers-color-scheme:dark){:root{--bg:#121316;--fg:#e6e6ea;--muted:#a4a4b0;--line:#34353b;--card:#1b1c20;--accent:#8ab4f8;--orig:#8ab4f8;--copy:#f28b82;--same:#81c995}}
        *{box-sizing:border-box}
        body{margin:0 auto;max-width:72rem;padding:1rem 1.25rem 3rem;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        a{color:var(--accent)}
        a:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.25rem .5rem}
        h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:0 0 .25rem}h3{margin:2rem 0 .5rem}
        .glance{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0 1rem;padding:0}
        .glance div{min-width:8rem}.glance dt{color:var(--muted);font-size:.8rem}.glance dd{margin:0;font-weight:600}
        .budget,.muted{color:var(--muted)}
        #filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:1rem 0;padding:.75rem;border:1px solid var(--line);border-radius:.5rem}
        #filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
        #min{width:5rem}#filters input,#filters select{font:inherit;padding:.25rem;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:.25rem}
        .story{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:0 0 .75rem}
        .meta,.outlets,.terms{margin:.2rem 0;font-size:.9rem}.meta span+span::before{content:" · ";color:var(--muted)}
        .timeline{display:block;width:100%;max-width:40rem;height:3rem;margin:.25rem 0}
        .timeline .axis{stroke:var(--line);stroke-width:1}.timeline text{fill:var(--muted);font-size:11px}
        .timeline .original{fill:var(--orig)}.timeline .copy{fill:var(--copy)}
        details>summary{cursor:pointer;color:var(--accent)}
        ol.members,ul.copies{margin:.25rem 0;padding-left:1.25rem}ul.copies{list-style:circle}
        .rel{font-size:.8rem;border:1px solid var(--line);border-radius:.75rem;padding:0 .4rem;white-space:nowrap}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        @media print{#filters,.skip{display:none}body{max-width:none;padding:0;font-size:11pt}.story{break-inside:avoid;background:none}
        details::details-content{content-visibility:visible;display:block}details>summary{color:inherit}a{color:inherit}}
        """

    static let script = """
        (function(){
        "use strict";
        var data=JSON.parse(document.getElementById("page-data").textContent);
        var form=document.getElementById("filters");form.hidden=false;
        var q=document.getElementById("q"),outlet=document.getElementById("outlet"),from=document.getElementById("from"),
        to=document.getElementById("to"),min=document.getElementById("min"),shown=document.getElementById("shown");
        data.outlets.forEach(function(name){var o=document.createElement("option");o.value=name;o.textContent=name;outlet.appendChild(o);});
        var items=Array.prototype.map.call(document.querySelectorAll("[data-size]"),function(e){
        return {e:e,size:+e.getAttribute("data-size"),first:e.hasAttribute("data-first")?+e.getAttribute("data-first"):null,
        last:e.hasAttribute("data-last")?+e.getAttribute("data-last"):null,outlets:e.getAttribute("data-outlets").split("\\n"),
        text:Array.prototype.map.call(e.querySelectorAll(".hl"),function(h){return h.textContent;}).join("\\n").toLowerCase()};});
        function day(v,end){if(!v)return null;var t=Date.parse(v+"T00:00:00Z")/1000;return isNaN(t)?null:(end?t+86400:t);}
        function apply(){
        var words=q.value.toLowerCase().split(/\\s+/).filter(Boolean),name=outlet.value,a=day(from.value,false),b=day(to.value,true),
        least=parseInt(min.value,10)||0,cards=0,total=0;
        items.forEach(function(it){
        var ok=it.size>=least&&(!name||it.outlets.indexOf(name)>=0)&&words.every(function(w){return it.text.indexOf(w)>=0;});
        if(ok&&(a!==null||b!==null)){ok=it.first!==null&&(b===null||it.first<b)&&(a===null||it.last>=a);}
        it.e.hidden=!ok;if(it.e.classList.contains("story")){total++;if(ok)cards++;}});
        shown.textContent=cards+" of "+total+" story cards shown";}
        [q,outlet,from,to,min].forEach(function(c){c.addEventListener("input",apply);});
        form.addEventListener("submit",function(ev){ev.preventDefault();});
        document.addEventListener("keydown",function(ev){if(ev.key==="/"&&document.activeElement!==q&&!/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)){ev.preventDefault();q.focus();}});
        window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true;});});
        apply();
        })();
        """

    /// The page's policy: nothing from outside, only this style sheet and this script.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src '\(hash(style))'; script-src '\(hash(script))'; img-src 'none'; base-uri 'none'; form-action 'none'"

    /// `sha256-` and the Base64 of the SHA-256 of `text`'s UTF-8, as CSP names an inline element.
    static func hash(_ text: String) -> String {
        let hex = Array(StableHash.sha256Hex(text).utf8)
        var digest = [UInt8]()
        for index in stride(from: 0, to: hex.count, by: 2) {
            digest.append(UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16)!)
        }
        return "sha256-" + Data(digest).base64EncodedString()
    }
}
