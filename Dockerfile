# st-proxy image: build with the dev toolchain, run with production dependencies only.
# Node 26, the Active LTS (the same major as package.json's devDependency "node" the tests run on).
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the build needs only tsc; no install script of a dev tool (for instance the
# npm package "node", which fetches a whole Node binary for the tests) is needed here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:26-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY scripts/docker-entrypoint.sh /usr/local/bin/st-proxy-entrypoint
# `st-proxy` on PATH for `docker exec` (system-tests' healthchecks run `st-proxy healthcheck ...`).
# The default CA folder is writable by any uid, since st-proxy runs as the log folder's owner.
RUN chmod 0755 dist/cli.js /usr/local/bin/st-proxy-entrypoint \
 && ln -s /app/dist/cli.js /usr/local/bin/st-proxy \
 && mkdir -p /app/logs /home/node/.st-proxy && chmod 1777 /home/node/.st-proxy
ENV HOME=/home/node SYSTEM_TESTS_LOG_FOLDER=/app/logs
# library, open_telemetry, otel_collector, agent, sidecar, direct, buddies, commands, lambda-proxy, dogstatsd
EXPOSE 8126 8127 8128 8200 8201 8202 9001 9002 9003 9004 9005 11111 7777 8125/udp
# Starts as root; the entrypoint runs st-proxy as the log folder's owner (see it for why).
ENTRYPOINT ["st-proxy-entrypoint"]
CMD ["serve"]
