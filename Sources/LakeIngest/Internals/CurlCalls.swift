import CCurl

// The only file that calls libcurl. Docs: https://curl.se/libcurl/c/

/// Runs `curl_global_init` once per process.
let c_curl_global: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

/// The corresponding C function is `curl_easy_init`.
func c_curl_easy_init() -> UnsafeMutableRawPointer? {
    _ = c_curl_global
    return curl_easy_init()
}
/// The corresponding C function is `curl_easy_cleanup`.
func c_curl_easy_cleanup(_ h: UnsafeMutableRawPointer) { curl_easy_cleanup(h) }
/// The corresponding C function is `curl_easy_perform`.
func c_curl_easy_perform(_ h: UnsafeMutableRawPointer) -> Int32 { Int32(curl_easy_perform(h).rawValue) }
/// The corresponding C function is `curl_easy_strerror`.
func c_curl_easy_strerror(_ code: Int32) -> String { String(cString: curl_easy_strerror(CURLcode(rawValue: UInt32(code)))) }
/// `curl_easy_setopt` with a long (through the shim, as the C function is variadic).
func c_curl_setopt(_ h: UnsafeMutableRawPointer, _ o: CURLoption, _ v: Int) { _ = datapunk_curl_setopt_long(h, o, v) }
/// `curl_easy_setopt` with a curl_off_t.
func c_curl_setopt(_ h: UnsafeMutableRawPointer, _ o: CURLoption, offset v: Int64) { _ = datapunk_curl_setopt_off(h, o, curl_off_t(v)) }
/// `curl_easy_setopt` with a string.
func c_curl_setopt(_ h: UnsafeMutableRawPointer, _ o: CURLoption, _ v: String) { _ = datapunk_curl_setopt_string(h, o, v) }
/// `curl_easy_setopt` with a pointer.
func c_curl_setopt(_ h: UnsafeMutableRawPointer, _ o: CURLoption, pointer v: UnsafeMutableRawPointer?) {
    _ = datapunk_curl_setopt_pointer(h, o, v)
}
/// `curl_easy_setopt` with a write callback.
func c_curl_setopt(_ h: UnsafeMutableRawPointer, _ o: CURLoption, callback: datapunk_curl_write_callback) {
    _ = datapunk_curl_setopt_write_function(h, o, callback)
}
/// `curl_easy_getinfo` for a long.
func c_curl_getinfo_long(_ h: UnsafeMutableRawPointer, _ i: CURLINFO) -> Int {
    var v: Int = 0
    _ = datapunk_curl_getinfo_long(h, i, &v)
    return v
}

let c_CURLOPT_URL = CURLOPT_URL
let c_CURLOPT_POSTFIELDSIZE_LARGE = CURLOPT_POSTFIELDSIZE_LARGE
let c_CURLOPT_COPYPOSTFIELDS = CURLOPT_COPYPOSTFIELDS
let c_CURLOPT_HTTPHEADER = CURLOPT_HTTPHEADER
let c_CURLOPT_TIMEOUT = CURLOPT_TIMEOUT
/// The corresponding C functions are `curl_slist_append` and `curl_slist_free_all`.
func c_curl_slist_append(_ list: UnsafeMutablePointer<curl_slist>?, _ s: String) -> UnsafeMutablePointer<curl_slist>? {
    curl_slist_append(list, s)
}
func c_curl_slist_free_all(_ list: UnsafeMutablePointer<curl_slist>?) { curl_slist_free_all(list) }
let c_CURLOPT_WRITEFUNCTION = CURLOPT_WRITEFUNCTION
let c_CURLOPT_WRITEDATA = CURLOPT_WRITEDATA
let c_CURLOPT_FOLLOWLOCATION = CURLOPT_FOLLOWLOCATION
let c_CURLOPT_MAXREDIRS = CURLOPT_MAXREDIRS
let c_CURLOPT_NOSIGNAL = CURLOPT_NOSIGNAL
let c_CURLOPT_CONNECTTIMEOUT = CURLOPT_CONNECTTIMEOUT
let c_CURLOPT_LOW_SPEED_LIMIT = CURLOPT_LOW_SPEED_LIMIT
let c_CURLOPT_LOW_SPEED_TIME = CURLOPT_LOW_SPEED_TIME
let c_CURLOPT_RESUME_FROM_LARGE = CURLOPT_RESUME_FROM_LARGE
let c_CURLOPT_USERAGENT = CURLOPT_USERAGENT
let c_CURLOPT_CAINFO = CURLOPT_CAINFO
let c_CURLOPT_PROTOCOLS_STR = CURLOPT_PROTOCOLS_STR
let c_CURLOPT_REDIR_PROTOCOLS_STR = CURLOPT_REDIR_PROTOCOLS_STR
let c_CURLINFO_RESPONSE_CODE = CURLINFO_RESPONSE_CODE
let c_CURLOPT_MAXFILESIZE_LARGE = CURLOPT_MAXFILESIZE_LARGE
let c_CURLOPT_NETRC = CURLOPT_NETRC
let c_CURLOPT_NETRC_FILE = CURLOPT_NETRC_FILE
/// `CURL_NETRC_OPTIONAL`: credentials from the netrc file when it has the host.
let c_CURL_NETRC_OPTIONAL = Int(CURL_NETRC_OPTIONAL.rawValue)
