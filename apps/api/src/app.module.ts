import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { TokenVerifier } from '@doorbraak/auth';
import { AuthGuard } from './auth/auth.guard';
import { AccessLogger } from './auth/access-logger';
import { CqrsModule } from '@nestjs/cqrs';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import type { Logger } from '@doorbraak/logging';
import { LoggerModule } from 'nestjs-pino';
import { LedgerApplicationModule } from '@doorbraak/application';
import { BudgetsController } from './budgets/budgets.controller';
import { HouseholdsController } from './households/households.controller';
import { ImportsController } from './imports/imports.controller';
import { MandatesController } from './mandates/mandates.controller';
import { PlansController } from './plans/plans.controller';
import { ReportsController } from './reports/reports.controller';
import type { ApiConfig } from './config';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { OpenApiController } from './openapi/openapi.controller';
import { ProjectionsController } from './projections/projections.controller';
import { SubscriptionsController } from './projections/subscriptions.controller';
import { MetricsController } from './projections/metrics.controller';
import { LogController } from './log/log.controller';
import { DevelopmentTokensController } from './development-tokens/development-tokens.controller';
import { WebAssetsController } from './web/web-assets.controller';
import { API_CONFIG, LEDGER, LOGGER, TOKEN_VERIFIER } from './tokens';

@Module({})
export class AppModule {
  static register(ledger: Ledger, config: ApiConfig, logger: Logger, verifier: TokenVerifier): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        LedgerApplicationModule.register(ledger.store, ledger.runtime, ledger.shredder),
        // Nest's own messages only: the request line is written by createApp's onResponse hook, with no logger per request.
        LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] }),
      ],
      controllers: [HealthController, OpenApiController, ProjectionsController, HouseholdsController, PlansController, MandatesController, BudgetsController, ImportsController, ReportsController, SubscriptionsController, MetricsController, LogController, DevelopmentTokensController, WebAssetsController],
      providers: [
        { provide: LEDGER, useValue: ledger },
        { provide: LOGGER, useValue: logger },
        { provide: API_CONFIG, useValue: config },
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        AccessLogger,
      ],
    };
  }
}
