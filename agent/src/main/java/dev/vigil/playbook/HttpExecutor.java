package dev.vigil.playbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Runs {@code http} steps with {@link HttpClient}: the request {@link RenderedHttp} renders (the one the dry-run plan
 * shows), no redirect followed, the certificate checked unless the playbook says {@code insecure_skip_verify}, the
 * whole exchange bounded by the step's timeout and the body kept to {@link StepOutcome#OUTPUT_LIMIT} bytes.
 * Thread-safe.
 *
 * <p>A status the step expects succeeds; 5xx, 408 and 429 fail as retryable, as does a connection failure; any other
 * status fails for good. A redirect is a failure too (its Location is reported): following it could send the body to
 * a host the playbook never named. A step with a {@code revert} is a temporary change: {@link #revertOf} gives the
 * runner the step to run once the time-to-live has passed.
 *
 * <p>Under a fleet grant the request also carries {@value #FENCING_HEADER} with the grant's token (replacing a header of
 * that name the playbook may set), so the service can refuse an agent whose grant another has since superseded.
 */
public final class HttpExecutor implements StepExecutor {
    /** The header that carries a fleet grant's fencing token to the service acted on. */
    public static final String FENCING_HEADER = "X-Vigil-Fencing-Token";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final InstantSource clock;
    private final HttpClient verifying;
    private final HttpClient insecure;

    public HttpExecutor(InstantSource clock) {
        this(clock, defaultContext());
    }

    /** With the TLS context that verifies certificates (tests pass one that trusts their own authority). */
    HttpExecutor(InstantSource clock, SSLContext trusted) {
        this.clock = clock;
        this.verifying = client(trusted);
        this.insecure = client(trustingEveryone());
    }

    @Override
    public Executor kind() {
        return Executor.HTTP;
    }

    @Override
    public StepOutcome run(Step step, int index, Map<String, String> values) {
        return run(step, index, values, OptionalLong.empty());
    }

    @Override
    public StepOutcome run(Step step, int index, Map<String, String> values, OptionalLong fencingToken) {
        if (!(step.action() instanceof StepAction.Http http)) {
            throw new IllegalArgumentException("step " + step.name() + " is not an http step: " + step.executor());
        }
        Optional<String> problem = StepInputs.problem(step, values);
        if (problem.isPresent()) {
            return StepOutcome.refused(problem.get());
        }
        RenderedHttp request;
        try {
            request = RenderedHttp.render(http, values::get);
        } catch (IllegalArgumentException e) {
            return StepOutcome.refused(e.getMessage());
        }
        if (fencingToken.isPresent()) {
            request = request.withHeader(FENCING_HEADER, Long.toString(fencingToken.getAsLong()));
        }
        return send(request, step.timeout());
    }

    /**
     * The request that undoes a temporary change, and when it is due: the same method, URL, headers and expected
     * statuses with the revert body (no body when the revert has none), named {@code <step>-revert}. The runner runs
     * it through {@link #run} with the same values once {@code after} has passed; keeping it across a restart of the
     * daemon is the runner's job (it is in the audited plan as {@code revert_after} and {@code revert_body}).
     */
    public static Optional<ScheduledRevert> revertOf(Step step) {
        if (!(step.action() instanceof StepAction.Http http) || http.revert().isEmpty()) {
            return Optional.empty();
        }
        StepAction.Revert revert = http.revert().get();
        StepAction.Http undo = new StepAction.Http(http.method(), http.url(), http.headers(), revert.body(),
                http.expectStatus(), http.insecureSkipVerify(), Optional.empty());
        return Optional.of(new ScheduledRevert(revert.after(), new Step(step.name() + "-revert", step.timeout(),
                step.when(), undo)));
    }

    /** A revert request and how long after the change it is due. Immutable. */
    public record ScheduledRevert(Duration after, Step step) {
    }

    private StepOutcome send(RenderedHttp r, Duration timeout) {
        long started = clock.millis();
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.url())).timeout(timeout);
            r.headers().forEach(b::header);
            if (r.body().isPresent() && r.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                b.header("Content-Type", "application/json");
            }
            b.method(r.method(), r.body().map(HttpRequest.BodyPublishers::ofString)
                    .orElseGet(HttpRequest.BodyPublishers::noBody));
            request = b.build();
        } catch (IllegalArgumentException e) {
            return StepOutcome.refused("the request cannot be sent: " + e.getMessage());
        }
        HttpClient client = r.insecureSkipVerify() ? insecure : verifying;
        CompletableFuture<HttpResponse<String>> response =
                client.sendAsync(request, info -> new BoundedText(StepOutcome.OUTPUT_LIMIT));
        try {
            HttpResponse<String> res = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return judge(r, res, elapsed(started));
        } catch (TimeoutException e) {
            response.cancel(true);
            return StepOutcome.timedOut("", elapsed(started));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return StepOutcome.failed("", "interrupted", elapsed(started), true);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return StepOutcome.timedOut("", elapsed(started));
            }
            String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            // a refused or reset connection may work later; a certificate that does not verify will not
            boolean retryable = cause instanceof IOException && !(cause instanceof SSLException);
            return StepOutcome.failed("", r.method() + " " + r.url() + ": " + what, elapsed(started), retryable);
        }
    }

    private static StepOutcome judge(RenderedHttp r, HttpResponse<String> res, long elapsed) {
        int status = res.statusCode();
        StringBuilder output = new StringBuilder("HTTP ").append(status);
        res.headers().firstValue("Location").ifPresent(l -> output.append("\nLocation: ").append(l));
        if (!res.body().isEmpty()) {
            output.append('\n').append(res.body());
        }
        if (r.expectStatus().contains(status)) {
            return StepOutcome.succeeded(output.toString(), elapsed);
        }
        String error = "HTTP " + status + ", expected one of " + r.expectStatus()
                + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
        boolean retryable = status >= 500 || status == 408 || status == 429;
        return StepOutcome.failed(output.toString(), error, elapsed, retryable);
    }

    private long elapsed(long started) {
        return Math.max(0, clock.millis() - started);
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(tls)
                .build();
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * A context that accepts any certificate for any host: an extended trust manager does the host name check
     * itself, so this one skips both. Used only for a step whose playbook says {@code insecure_skip_verify}.
     */
    private static SSLContext trustingEveryone() {
        TrustManager anyone = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anyone}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /** Keeps the first {@code limit} bytes of a body as text and counts (but drops) the rest. Not thread-safe. */
    private static final class BoundedText implements HttpResponse.BodySubscriber<String> {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private long dropped;

        BoundedText(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int keep = Math.min(buffer.remaining(), limit - kept.size());
                byte[] bytes = new byte[keep];
                buffer.get(bytes);
                kept.write(bytes, 0, keep);
                dropped += buffer.remaining();
                buffer.position(buffer.limit());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            String text = kept.toString(StandardCharsets.UTF_8);
            result.complete(dropped == 0 ? text : text + "\n[cut: " + dropped + " more bytes]");
        }
    }
}
