/* Double-precision numerics: n-body, mandelbrot, matrix multiply, libm. */
#include <math.h>
#include <stdio.h>

typedef struct { double x, y, z, vx, vy, vz, m; } Body;
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS 365.24

static Body bodies[5] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * DAYS,
     7.69901118419740425e-03 * DAYS, -6.90460016972063023e-05 * DAYS, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * DAYS,
     4.99852801234917238e-03 * DAYS, 2.30417297573763929e-05 * DAYS, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * DAYS,
     2.37847173959480950e-03 * DAYS, -2.96589568540237556e-05 * DAYS, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * DAYS,
     1.62824170038242295e-03 * DAYS, -9.51592254519715870e-05 * DAYS, 5.15138902046611451e-05 * SOLAR_MASS},
};

static double energy(void) {
    double e = 0;
    for (int i = 0; i < 5; i++) {
        Body *b = &bodies[i];
        e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < 5; j++) {
            Body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            e -= b->m * c->m / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(double dt) {
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++) {
            Body *b = &bodies[i], *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            b->vx -= dx * c->m * mag; b->vy -= dy * c->m * mag; b->vz -= dz * c->m * mag;
            c->vx += dx * b->m * mag; c->vy += dy * b->m * mag; c->vz += dz * b->m * mag;
        }
    for (int i = 0; i < 5; i++) {
        bodies[i].x += dt * bodies[i].vx; bodies[i].y += dt * bodies[i].vy; bodies[i].z += dt * bodies[i].vz;
    }
}

int main(void) {
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < 5; i++) { px += bodies[i].vx * bodies[i].m; py += bodies[i].vy * bodies[i].m; pz += bodies[i].vz * bodies[i].m; }
    bodies[0].vx = -px / SOLAR_MASS; bodies[0].vy = -py / SOLAR_MASS; bodies[0].vz = -pz / SOLAR_MASS;
    printf("energy %.17g\n", energy());
    for (int i = 0; i < 1000; i++) advance(0.01);
    printf("energy %.17g\n", energy());
    for (int i = 0; i < 5; i++) printf("body %d %.17g %.17g %.17g\n", i, bodies[i].x, bodies[i].y, bodies[i].z);

    /* mandelbrot */
    for (int y = 0; y < 24; y++) {
        char line[80];
        for (int x = 0; x < 72; x++) {
            double cr = -2.2 + x * (3.2 / 72), ci = -1.2 + y * (2.4 / 24), zr = 0, zi = 0;
            int k = 0;
            while (k < 200 && zr * zr + zi * zi <= 4) { double t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; k++; }
            line[x] = " .:-=+*#%@"[k % 10];
        }
        line[72] = 0;
        printf("|%s|\n", line);
    }

    /* matrix multiply */
    enum { M = 60 };
    static double a[M][M], b[M][M], c[M][M];
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) { a[i][j] = (i * 7 + j * 3) % 11 / 7.0 - 0.5; b[i][j] = 1.0 / (1 + i + 2 * j); }
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) { double s = 0; for (int k = 0; k < M; k++) s += a[i][k] * b[k][j]; c[i][j] = s; }
    double tr = 0, fro = 0;
    for (int i = 0; i < M; i++) { tr += c[i][i]; for (int j = 0; j < M; j++) fro += c[i][j] * c[i][j]; }
    printf("matmul trace %.17g frobenius^2 %.17g c[3][57] %.17g\n", tr, fro, c[3][57]);

    /* libm */
    double xs[] = {0.0, -0.0, 1e-310, 1e-300, 0.1, 0.5, 1.0, 1.5, 2.0, 3.141592653589793, 10.0, 100.0, 710.0, -3.5, -1e5, 1e22, 0.7853981633974483};
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%.17g sin %.17g cos %.17g tan %.17g exp %.17g log %.17g\n", x, sin(x), cos(x), tan(x), exp(x), log(fabs(x)));
        printf("  sqrt %.17g cbrt %.17g pow(x,2.5) %.17g pow(1.0001,x) %.17g atan2(x,3) %.17g atan2(-1,x) %.17g\n",
               sqrt(fabs(x)), cbrt(x), pow(fabs(x), 2.5), pow(1.0001, x), atan2(x, 3), atan2(-1, x));
        printf("  floor %.17g ceil %.17g round %.17g trunc %.17g fmod(x,0.3) %.17g hypot %.17g log10 %.17g log2 %.17g\n",
               floor(x), ceil(x), round(x), trunc(x), fmod(x, 0.3), hypot(x, 4), log10(fabs(x)), log2(fabs(x)));
        printf("  asin %.17g acos %.17g atan %.17g sinh %.17g tanh %.17g expm1 %.17g log1p %.17g lrint %ld\n",
               asin(fmod(x, 1)), acos(fmod(x, 1)), atan(x), sinh(x / 100), tanh(x), expm1(x / 1000), log1p(fabs(x)),
               fabs(x) < 1e15 ? lrint(x) : 0L);
    }
    float f = 1.0f;
    for (int i = 0; i < 50; i++) f = f * 1.1f + sinf(f) / 3.0f;
    printf("float chain %.9g sqrtf %.9g\n", f, sqrtf(f));
    double h = 0;
    for (int i = 1; i <= 100000; i++) h += 1.0 / i;
    printf("harmonic %.17g\n", h);
    return 0;
}
