package dev.wmpc.sim.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without a usable EGL the renderer must fail with one message naming the packages to install. The EGL library is
 * loaded once per JVM, so a child JVM runs with LWJGL pointed at a library that does not exist.
 */
class EglUnavailableTest {
    /** Entry point of the child JVM: prints the renderer's error message and exits 3, or exits 0 if it rendered. */
    public static void main(String[] args) {
        try (EglSceneRenderer r = new EglSceneRenderer()) {
            System.out.println("rendered with " + r.description());
        } catch (WmpcException e) {
            System.out.println("MESSAGE " + e.getMessage());
            System.exit(3);
        }
    }

    @Test void missingLibEglNamesThePackages() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dorg.lwjgl.egl.libname=libEGL-absent-for-test.so.1",
                "-cp", System.getProperty("java.class.path"), EglUnavailableTest.class.getName()))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("MESSAGE EGL rendering is not available: cannot load libEGL.so.1")
                .contains("apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1");
    }

    @Test void unknownPlatformChoiceIsRejected() {
        assertThatThrownBy(() -> EglContext.create("vulkan"))
                .isInstanceOf(WmpcException.class).hasMessageContaining("WMPC_EGL_PLATFORM=vulkan").hasMessageContaining("surfaceless");
    }

    @Test void surfacelessWorksAndOtherChoicesRenderOrNameThePackages() {
        try (EglContext c = EglContext.create("surfaceless")) {
            assertThat(c.description()).startsWith("EGL surfaceless, ");
        }
        for (String only : List.of("device", "default")) {
            try (EglContext c = EglContext.create(only)) {
                assertThat(c.description()).startsWith("EGL");
            } catch (WmpcException e) {
                // A CPU machine has no hardware EGL device, and without DISPLAY no default display: the failure
                // names the platform and what to install.
                assertThat(e.getMessage()).contains("EGL " + only).contains("apt-get install");
            }
        }
    }
}
