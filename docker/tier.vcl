# The tier in front of a signing origin (docs/deploy.md); the same VCL SigningOriginChainIT runs.
vcl 4.1;

backend origin {
    .host = "127.0.0.1";
    .port = "8081";
}

sub vcl_recv {
    # Nothing the origin serves depends on cookies or credentials: without this, builtin.vcl passes
    # (never caches) every request carrying Authorization or Cookie.
    unset req.http.Cookie;
    unset req.http.Authorization;
    # An edge that got a page and a signature from different moments asks again with no-cache.
    if (req.http.Cache-Control ~ "no-cache") {
        set req.hash_always_miss = true;
    }
}

sub vcl_backend_response {
    # Refusals are no-store (builtin.vcl then makes them uncacheable); everything else the origin
    # sends carries its own max-age, which Varnish follows.
    if (beresp.http.Cache-Control ~ "immutable") {
        set beresp.ttl = 365d;
    }
}
