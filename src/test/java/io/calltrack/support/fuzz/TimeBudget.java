package io.calltrack.support.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.Store;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * A property's wall-clock bound besides its tries (jqwik has none of its own): once {@link #seconds()} have passed
 * since its first try, the property ends as satisfied with the tries run so far, so a slow machine runs fewer tries
 * instead of a longer build. jqwik's report then shows how many ran.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@AddLifecycleHook(TimeBudget.Hook.class)
public @interface TimeBudget {
    int seconds();

    final class Hook implements AroundTryHook {
        @Override
        public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
            long budget = TimeUnit.SECONDS.toNanos(context.findAnnotation(TimeBudget.class).orElseThrow().seconds());
            long started = Store.getOrCreate(Tuple.of(Hook.class, "started"), Lifespan.PROPERTY, System::nanoTime).get();
            if (System.nanoTime() - started > budget) return TryExecutionResult.satisfied(true);
            return aTry.execute(parameters);
        }
    }
}
