# st-proxy image: build with the dev toolchain, run with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
# The dump folder and the CA folder are usually mounted; both must be writable by this user.
RUN mkdir -p /app/logs /home/node/.st-proxy && chown -R node:node /app/logs /home/node/.st-proxy
USER node
ENV SYSTEM_TESTS_LOG_FOLDER=/app/logs
# library, open_telemetry, otel_collector, agent, sidecar, direct, buddies, commands, dogstatsd
EXPOSE 8126 8127 8128 8200 8201 8202 9001 9002 9003 9004 9005 11111 8125/udp
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["serve"]
