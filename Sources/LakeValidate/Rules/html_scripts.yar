// HTML that runs script, in exports whose HTML holds none (My Activity pages, Facebook's
// HTML download). Twitter's archive viewer (`Your archive.html`, `assets/`) is script by
// design and is left out.
rule html_script_in_export
{
    meta:
        description = "HTML with script that runs when it is opened"
    strings:
        $script = "<script" nocase
        $handler = /\son(load|error|mouseover|focus|pageshow)\s*=/ nocase
        $url = "javascript:" nocase
    condition:
        extension matches /^html?$/
        and not path matches /(^|\/)Your archive\.html$/
        and not path matches /(^|\/)assets\//
        and any of them
}
