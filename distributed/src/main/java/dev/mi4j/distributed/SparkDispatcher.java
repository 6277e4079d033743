package dev.mi4j.distributed;

import dev.mi4j.core.Mi4jException;
import dev.mi4j.core.io.Json;
import dev.mi4j.experiments.pipeline.TrialEnvironment;
import dev.mi4j.experiments.sweep.Trial;
import dev.mi4j.experiments.sweep.TrialAttempt;
import dev.mi4j.experiments.sweep.TrialDispatcher;
import dev.mi4j.experiments.sweep.TrialRecord;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs a sweep's trials as Spark tasks: one job, one partition (one task) per pending trial. A
 * task builds the trial's executor from the {@link TrialEnvironment} once per executor JVM (models
 * and data read from the shared file system and checked against the driver's checksums) and runs
 * the trial with {@link TrialAttempt}, which publishes the trial folder atomically. The record comes
 * back to the driver as JSON as each task finishes, where the sweep runner alone writes
 * {@code trials.jsonl} and {@code results.csv}. A task lost with its executor is retried by Spark
 * ({@code spark.task.maxFailures}); an attempt that finds the trial already published keeps it, so
 * every trial yields exactly one folder and one row.
 */
final class SparkDispatcher implements TrialDispatcher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkDispatcher.class);

    private final TrialEnvironment environment;
    private final SparkConf conf;
    private JavaSparkContext context;

    SparkDispatcher(SparkConf conf, TrialEnvironment environment) {
        this.conf = conf;
        this.environment = environment;
    }

    @Override
    public String describe() {
        return "Spark " + conf.get("spark.master", "(no master)");
    }

    @Override
    public void dispatch(Path runDir, List<Trial> trials, Listener listener) {
        if (trials.isEmpty()) {
            return;
        }
        if (!runDir.toAbsolutePath().normalize().equals(environment.runDirectory())) {
            throw new IllegalArgumentException("runDir: " + runDir + " is not the environment's " + environment.runDir());
        }
        if (context == null) {
            context = new JavaSparkContext(conf);
            LOG.info("Spark {} (application {}), {} trial(s) as tasks", context.master(), context.sc().applicationId(),
                    trials.size());
        }
        List<String> payload = new ArrayList<>();
        trials.forEach(t -> payload.add(Json.toJson(t)));
        // One trial per partition: ParallelCollectionRDD cuts n elements into n slices of one.
        JavaRDD<String> rdd = context.parallelize(payload, payload.size());
        context.setJobDescription("mi4j sweep " + runDir.getFileName() + ": " + trials.size() + " trial(s)");
        List<Object> partitions = new ArrayList<>();
        IntStream.range(0, payload.size()).forEach(partitions::add);
        context.sc().runJob(rdd.rdd(), new RunTrial(environment.toJson()),
                JavaConverters.asScalaBuffer(partitions).toSeq(), new Report(listener),
                ClassTag$.MODULE$.apply(String.class));
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    /** The task: runs the partition's trial on an executor and returns its record as JSON. */
    static final class RunTrial extends AbstractFunction2<TaskContext, Iterator<String>, String> implements Serializable {

        private static final long serialVersionUID = 1L;
        private final String environmentJson;

        RunTrial(String environmentJson) {
            this.environmentJson = environmentJson;
        }

        @Override
        public String apply(TaskContext task, Iterator<String> trials) {
            // One trial per partition (see dispatch); checked before anything runs.
            Trial trial = Json.fromJson(trials.next(), Trial.class);
            if (trials.hasNext()) {
                throw new IllegalStateException("a partition holds more than one trial");
            }
            TrialEnvironment env = TrialEnvironment.fromJson(environmentJson);
            try {
                return Json.toJson(TrialAttempt.run(env.runDirectory(), trial, env.executor()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("trial " + trial.id() + " (attempt " + task.attemptNumber()
                        + "): " + e.getMessage(), e);
            }
        }
    }

    /** On the driver, as each task finishes: the record to the sweep runner. */
    static final class Report extends AbstractFunction2<Object, String, BoxedUnit> implements Serializable {

        private static final long serialVersionUID = 1L;
        private final transient Listener listener;

        Report(Listener listener) {
            this.listener = listener;
        }

        @Override
        public BoxedUnit apply(Object partition, String json) {
            if (json == null || json.isEmpty()) {
                throw new Mi4jException("partition " + partition + " returned no trial record");
            }
            listener.finished(Json.fromJson(json, TrialRecord.class));
            return BoxedUnit.UNIT;
        }
    }
}
