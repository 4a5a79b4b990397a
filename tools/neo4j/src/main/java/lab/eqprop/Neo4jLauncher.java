package lab.eqprop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import inet.ipaddr.IPAddressString;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Starts an embedded Neo4j 5 community DBMS with a Bolt connector on 127.0.0.1:&lt;port&gt;,
 * storing its data under &lt;dataDir&gt;, prints one line "READY bolt://127.0.0.1:&lt;port&gt;" when
 * clients may connect, and shuts down cleanly on SIGTERM/SIGINT (a JVM shutdown hook).
 *
 * Usage: java -cp ... lab.eqprop.Neo4jLauncher &lt;port&gt; &lt;dataDir&gt; [pageCache, e.g. 256m]
 *
 * With -Deqprop.exitOnStdinEof=true the server also stops when its standard input closes, so a
 * test process that dies without cleaning up (SIGKILL, crash) does not leave a JVM behind.
 *
 * Disk and memory are bounded for a shared 2-core machine (docs/stores.md, "Neo4j settings"):
 * transaction logs rotate at 16 MiB, are not preallocated, and are kept up to 64 MiB in all
 * (Neo4j's default keeps two days of logs: 13.5 MB per saved 5×100 topology, never pruned in a
 * day of sweeps); a checkpoint, which is what prunes them, runs after 32 MiB of log or 1 minute.
 * Each can be overridden with a system property: -Deqprop.txLogRetention="64M size",
 * -Deqprop.txLogRotation=16m, -Deqprop.checkpointVolume=32m, -Deqprop.checkpointSeconds=60.
 *
 * Authentication is disabled: the server only listens on the loopback interface and exists for
 * development and tests; the driver's credentials are accepted and ignored.
 *
 * Locked down, because the web app's Cypher console hands user-written queries to this server:
 * LOAD CSV may not read file URLs (and file URLs would be confined to an empty import directory
 * under the data directory anyway), may not fetch any IP address (every IPv4 and IPv6 range is
 * blocked), no plugin procedure is loaded except the three schema listings the console allows
 * (so an APOC jar dropped into plugins/ stays inert) and none runs unrestricted. Built-in
 * procedures (dbms.listConnections, db.clearQueryCaches) and SHOW commands cannot be switched off
 * in the community edition: the console refuses them before they reach this server.
 */
public final class Neo4jLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Neo4jLauncher <port> <dataDir> [pageCache]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path dataDir = Path.of(args[1]).toAbsolutePath();
    String pageCache = args.length > 2 ? args[2] : "256m";
    Files.createDirectories(dataDir);
    Path importDir = dataDir.resolve("import-empty");
    Files.createDirectories(importDir);

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dataDir)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
        .setConfig(GraphDatabaseSettings.keep_logical_logs, System.getProperty("eqprop.txLogRetention", "64M size"))
        .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold,
            org.neo4j.io.ByteUnit.parse(System.getProperty("eqprop.txLogRotation", "16m")))
        .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
        .setConfig(GraphDatabaseSettings.check_point_interval_volume,
            org.neo4j.io.ByteUnit.parse(System.getProperty("eqprop.checkpointVolume", "32m")))
        .setConfig(GraphDatabaseSettings.check_point_interval_time,
            Duration.ofSeconds(Long.getLong("eqprop.checkpointSeconds", 60L)))
        .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
        .setConfig(GraphDatabaseSettings.allow_file_urls, false)
        .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
        .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
            List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")))
        .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of())
        .setConfig(GraphDatabaseSettings.procedure_allowlist,
            List.of("db.labels", "db.relationshipTypes", "db.propertyKeys"))
        .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("STOPPING");
      System.out.flush();
      dbms.shutdown();
      stopped.countDown();
    }, "neo4j-launcher-shutdown"));

    if (Boolean.getBoolean("eqprop.exitOnStdinEof")) {
      Thread watch = new Thread(() -> {
        try {
          while (System.in.read() != -1) { /* keep reading until the parent goes away */ }
        } catch (java.io.IOException ignored) {
          // A broken pipe means the same as EOF here.
        }
        System.exit(0); // runs the shutdown hook
      }, "neo4j-launcher-stdin-watch");
      watch.setDaemon(true);
      watch.start();
    }

    // Touch the default database so that "READY" means queries can run, not just that Bolt listens.
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    stopped.await();
  }
}
