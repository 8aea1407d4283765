package io.waymark.catalog.ops;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.waymark.catalog.config.WaymarkConfig;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that sends nothing for {@code waymark.client-read-timeout} (60 s): a client
 * that announces a body and stops mid-request would otherwise hold its connection and buffer for
 * good. Micronaut's own idle settings left such a connection open for minutes (tested).
 */
@Singleton
public class SlowClients implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private final long timeoutMillis;

    public SlowClients(WaymarkConfig config) {
        this.timeoutMillis = config.getClientReadTimeout().toMillis();
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new PerConnection(null));
        return event.getBean();
    }

    private final class PerConnection implements NettyServerCustomizer {
        private final Channel channel;

        PerConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new PerConnection(channel) : this;
        }

        @Override
        public void onInitialPipelineBuilt() {
            if (channel != null) {
                // An idle event closes quietly; a ReadTimeoutHandler's exception is logged as an error by the server.
                channel.pipeline().addFirst("waymark-client-read-timeout", new IdleStateHandler(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
                channel.pipeline().addAfter("waymark-client-read-timeout", "waymark-close-idle", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
                        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
                            ctx.close();
                        } else {
                            super.userEventTriggered(ctx, event);
                        }
                    }
                });
            }
        }
    }
}
